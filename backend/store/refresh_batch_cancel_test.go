package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// TestDeferRefreshCancelEndsBatch: the statements of a batch run under a
// context the driver need not watch, yet cancelling the transaction's
// context still ends the batch between two statements, and nothing of it
// is kept.
func TestDeferRefreshCancelEndsBatch(t *testing.T) {
	s, _ := openTemp(t)
	conv, _ := seedConversation(t, s, "cancel@example.com", 0, fixedNow())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inserted := 0
	err := s.BulkTx(ctx, func(tx *sql.Tx) error {
		bctx, _ := s.DeferRefresh(ctx)
		if bctx.Done() != nil {
			t.Error("the batch's statement context can end: the driver would watch every statement")
		}
		deadline := time.Now().Add(10 * time.Second)
		for i := 0; ; i++ {
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Text: "part of a cancelled batch"}
			if _, err := s.InsertMessageTx(bctx, tx, &m); err != nil {
				return err
			}
			inserted++
			if i == 0 {
				cancel()
			}
			if time.Now().After(deadline) {
				t.Fatal("the batch went on 10 s after its transaction's context ended")
			}
			if i%100 == 99 {
				time.Sleep(time.Millisecond) // let database/sql see the end
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled batch: %v, want the cancellation (an import says it stopped, not a store fault)", err)
	}
	if inserted == 0 {
		t.Fatal("no statement ran before the cancel")
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM messages WHERE conversation_id = ?`, conv.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("messages kept from the cancelled batch: got %d, %v, want 0", n, err)
	}
}
