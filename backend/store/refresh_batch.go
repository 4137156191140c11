package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tidings/backend/inbox"
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
//
// Call it inside Tx or BulkTx: the context it returns does not end with
// ctx. The SQLite driver watches a context that can end with a goroutine
// and a progress callback every 1,000 VM steps for each statement, 7-9% of
// the CPU of filing a batch of mail (A/B runs); the transaction's own context
// still ends the batch, between two statements (database/sql rolls the
// transaction back and the next statement fails).
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
	return context.WithValue(context.WithoutCancel(ctx), deferKey{}, set), flush
}

// conversationAddedTx brings a conversation's counters up to date after m
// was inserted into it. Under DeferRefresh the counters move by m alone,
// in the one statement that kept the last message time current anyway:
// one more message, one more unread if it is, and m's date and preview if
// it is the newest (the newest row wins a tie, as in the recount). Counted
// again from its messages, each conversation cost a tenth of filing a
// message. Outside DeferRefresh the conversation is counted again.
func (s *Store) conversationAddedTx(ctx context.Context, tx *sql.Tx, m *inbox.Message) error {
	set, _ := ctx.Value(deferKey{}).(*refreshSet)
	if set == nil {
		return s.refreshConversationTx(ctx, tx, m.ConversationID)
	}
	unread := m.Direction == inbox.In && !m.Read
	res, err := tx.ExecContext(ctx, `UPDATE conversations SET message_count = message_count + 1, unread_count = unread_count + ?2,
		preview = CASE WHEN message_count = 0 OR ?3 >= last_message_at THEN substr(?4, 1, 200) ELSE preview END,
		last_message_at = CASE WHEN message_count = 0 THEN ?3 ELSE max(last_message_at, ?3) END
		WHERE id = ?1`, m.ConversationID, unread, ms(m.Date), m.Text)
	if err != nil {
		return fmt.Errorf("store: refresh conversation: %w", err)
	}
	return mustAffect(res, "conversation", m.ConversationID)
}

// conversationGrewTx brings a conversation's counters up to date after a
// message in it changed (its body arrived), now or (under DeferRefresh) at
// the flush.
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
