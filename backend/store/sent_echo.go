package store

import (
	"context"
	"database/sql"
	"fmt"
)

// SentMessageTx reports whether a conversation holds a message Tidings sent
// through a channel connector (it has a delivery) under the channel's
// message ID remoteID: a copy of it received later (an email's Sent-folder
// copy) is the same message.
func (s *Store) SentMessageTx(ctx context.Context, tx *sql.Tx, conversationID, remoteID string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM messages m JOIN deliveries d ON d.message_id = m.id
		WHERE m.conversation_id = ? AND m.message_id = ? AND m.message_id <> ''`, conversationID, remoteID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: find sent message: %w", err)
	}
	return n > 0, nil
}
