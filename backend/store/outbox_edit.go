package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// DropFailedOutboxTx removes a failed outbox entry and its copy in the
// conversation inside tx, for an edited version to take its place in the
// same transaction: the failed message and its replacement never both wait
// to be sent. It returns the entry as it was; an entry that is not (or no
// longer) failed is inbox.ErrConflict.
func (s *Store) DropFailedOutboxTx(ctx context.Context, tx *sql.Tx, id string) (inbox.OutboxItem, error) {
	o, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("store: outbox item %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return o, fmt.Errorf("store: outbox item %s: %w", id, err)
	}
	if o.State != inbox.OutboxFailed {
		return o, fmt.Errorf("store: outbox item %s is %s, not failed: %w", id, o.State, inbox.ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND state = 'failed'`, id); err != nil {
		return o, fmt.Errorf("store: drop outbox item: %w", err)
	}
	seqs, err := int64Column(ctx, tx, `SELECT seq FROM messages WHERE account_id = ? AND message_id = ? AND direction = 'out'
		AND NOT EXISTS (SELECT 1 FROM message_locations l WHERE l.seq = messages.seq)`, o.AccountID, o.MessageID)
	if err != nil {
		return o, fmt.Errorf("store: drop outbox item: %w", err)
	}
	if err := deleteMessagesTx(ctx, tx, seqs); err != nil {
		return o, fmt.Errorf("store: drop outbox item: %w", err)
	}
	if o.ConversationID != "" {
		if err := s.refreshConversationTx(ctx, tx, o.ConversationID); err != nil {
			return o, err
		}
	}
	return o, nil
}
