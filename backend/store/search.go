package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// DeleteMessageTx removes a message with its original, attachments and
// locations inside tx; the full-text index drops it in the same transaction
// (a trigger of migration 0002), and the conversation's counters are
// recomputed.
func (s *Store) DeleteMessageTx(ctx context.Context, tx *sql.Tx, id string) error {
	var conv string
	err := tx.QueryRowContext(ctx, `DELETE FROM messages WHERE id = ? RETURNING conversation_id`, id).Scan(&conv)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: delete message: %w", err)
	}
	return s.refreshConversationTx(ctx, tx, conv)
}

// DeleteMessage is DeleteMessageTx in its own transaction.
func (s *Store) DeleteMessage(ctx context.Context, id string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error { return s.DeleteMessageTx(ctx, tx, id) })
}
