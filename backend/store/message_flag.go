package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// SetMessageFlagged flags or unflags a message (IMAP \Flagged, RFC 9051
// section 2.3.2). The account's flag version moves (a trigger of migration
// 0013), so the sync sends the change to the server.
func (s *Store) SetMessageFlagged(ctx context.Context, id string, flagged bool) (string, error) {
	var conv string
	err := s.db.QueryRowContext(ctx, `UPDATE messages SET flagged = ? WHERE id = ? RETURNING conversation_id`, flagged, id).Scan(&conv)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
		}
		return "", fmt.Errorf("store: flag message: %w", err)
	}
	return conv, nil
}
