package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// A conversation's counters and preview are recomputed from its messages
// (refreshConversationTx), which is a fifth of the cost of filing a message
// when done once per message. A sync batch files hundreds of messages into
// the same conversations in one transaction: under DeferRefresh it recounts
// each conversation once, just before the batch commits.

type deferKey struct{}

// refreshSet is the conversations touched under DeferRefresh, and the
// bodies staged by CompleteBodyTx.
type refreshSet struct {
	ids   []string
	known map[string]bool
	// staged counts bodies waiting in temp.pending_bodies; completing
	// holds their rows.
	staged     int
	completing map[int64]bool
}

// DeferRefresh returns a context under which InsertMessageTx (and
// CompleteBodyTx) leave the recount of a conversation to flush, keeping
// only its last message time current meanwhile (the threader's reopen rule
// reads it). Call flush inside the same transaction before it commits.
func (s *Store) DeferRefresh(ctx context.Context) (context.Context, func(ctx context.Context, tx *sql.Tx) error) {
	set := &refreshSet{known: map[string]bool{}, completing: map[int64]bool{}}
	flush := func(ctx context.Context, tx *sql.Tx) error {
		if set.staged > 0 {
			if err := s.applyBodiesTx(ctx, tx); err != nil {
				return err
			}
			set.staged, set.completing = 0, map[int64]bool{}
		}
		for _, id := range set.ids {
			if err := s.refreshConversationTx(ctx, tx, id); err != nil {
				return err
			}
		}
		set.ids, set.known = nil, map[string]bool{}
		return nil
	}
	return context.WithValue(ctx, deferKey{}, set), flush
}

// conversationGrewTx brings a conversation's counters up to date after a
// message was added to it, now or (under DeferRefresh) at the flush.
func (s *Store) conversationGrewTx(ctx context.Context, tx *sql.Tx, id string, at time.Time) error {
	set, _ := ctx.Value(deferKey{}).(*refreshSet)
	if set == nil {
		return s.refreshConversationTx(ctx, tx, id)
	}
	if !set.known[id] {
		set.known[id] = true
		set.ids = append(set.ids, id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET last_message_at = max(last_message_at, ?) WHERE id = ?`, ms(at), id); err != nil {
		return fmt.Errorf("store: refresh conversation: %w", err)
	}
	return nil
}
