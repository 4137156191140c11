package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// WithdrawFailed removes a failed outbox entry and the conversation's copy
// of it (keep names a copy to leave: the edited message that replaces it
// shares its Message-ID). Nothing of a failed message is on any server:
// the submission was refused and no copy went to Sent.
func (s *Store) WithdrawFailed(ctx context.Context, outboxID, keep string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var accountID, messageID, state string
		err := tx.QueryRowContext(ctx, `SELECT account_id, message_id, state FROM outbox WHERE id = ?`, outboxID).Scan(&accountID, &messageID, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: outbox item %s: %w", outboxID, inbox.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: withdraw: %w", err)
		}
		if state != string(inbox.OutboxFailed) {
			return fmt.Errorf("store: outbox item %s is %s, not failed: %w", outboxID, state, inbox.ErrConflict)
		}
		ids, err := stringColumn(ctx, tx, `SELECT id FROM messages WHERE account_id = ? AND message_id = ? AND direction = 'out' AND id <> ?
			AND NOT EXISTS (SELECT 1 FROM message_locations l WHERE l.seq = messages.seq)`, accountID, messageID, keep)
		if err != nil {
			return fmt.Errorf("store: withdraw: %w", err)
		}
		for _, id := range ids {
			if err := s.DeleteMessageTx(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, outboxID); err != nil {
			return fmt.Errorf("store: withdraw: %w", err)
		}
		return nil
	})
}
