package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// Recording references must not make FTS5 write each message's index
// entries out as a segment of its own (see AddMessageRefsTx): a batch of
// messages stored in one transaction leaves one new segment.
func TestAddMessageRefsKeepsOneSegmentPerTransaction(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, _ := seedConversation(t, s, "a@example.com", 0, fixedNow())
	segments := func() int {
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM message_fts_idx`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := segments()
	var seqs []int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 40; i++ {
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
				Date: fixedNow().Add(time.Duration(i) * time.Minute), From: inbox.Address{Address: "a@example.com"},
				Subject: fmt.Sprintf("order %d", i), Text: fmt.Sprintf("parcel %d word%d", i, i)}
			seq, err := s.InsertMessageTx(ctx, tx, &m)
			if err != nil {
				return err
			}
			if err := s.AddMessageRefsTx(ctx, tx, seq, []string{"<root@x>", "", fmt.Sprintf("<p%d@x>", i), "<root@x>"}); err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := segments() - before; got != 1 {
		t.Errorf("one transaction of 40 messages added %d index segments, want 1", got)
	}
	var n int
	s.DB().QueryRowContext(ctx, `SELECT count(*) FROM message_refs WHERE seq = ?`, seqs[3]).Scan(&n)
	if n != 2 {
		t.Errorf("got %d references stored for a message naming two (one twice, one empty), want 2", n)
	}
}
