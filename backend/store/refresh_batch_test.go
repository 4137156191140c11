package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// TestDeferredCountsMatchRecount files messages under DeferRefresh, where a
// conversation's counters move message by message, and checks them against
// a recount from its messages: older and newer messages, a tie on the
// date, read, unread and outgoing ones, a long non-ASCII preview, and a new
// conversation whose only message predates 1970.
func TestDeferredCountsMatchRecount(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	at := fixedNow()
	conv, _ := seedConversation(t, s, "c@example.com", 2, at) // last message at +1 min
	var fresh inbox.Conversation
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		ctx, flush := s.DeferRefresh(ctx)
		fresh = inbox.Conversation{Channel: inbox.ChannelEmail, Subject: "Old"}
		if err := s.CreateConversationTx(ctx, tx, &fresh); err != nil {
			return err
		}
		add := func(convID string, d time.Duration, dir inbox.Direction, read bool, text string) {
			m := inbox.Message{ConversationID: convID, Channel: inbox.ChannelEmail, Direction: dir, Read: read,
				Date: at.Add(d), From: inbox.Address{Address: "c@example.com"}, Subject: "About", Text: text}
			if convID == fresh.ID {
				m.Date = time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)
			}
			if _, err := s.InsertMessageTx(ctx, tx, &m); err != nil {
				t.Fatal(err)
			}
		}
		add(conv.ID, -time.Hour, inbox.In, false, "older, unread")
		add(conv.ID, 5*time.Minute, inbox.In, true, "newer, read "+strings.Repeat("é", 300))
		add(conv.ID, 5*time.Minute, inbox.Out, false, "same time, outgoing, the newest row")
		add(conv.ID, 2*time.Minute, inbox.In, false, "between")
		add(fresh.ID, 0, inbox.In, false, "one small step")
		return flush(ctx, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{conv.ID, fresh.ID} {
		got, err := s.Conversation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Tx(ctx, func(tx *sql.Tx) error { return s.refreshConversationTx(ctx, tx, id) }); err != nil {
			t.Fatal(err)
		}
		want, _ := s.Conversation(ctx, id)
		if got.MessageCount != want.MessageCount || got.UnreadCount != want.UnreadCount || !got.LastMessageAt.Equal(want.LastMessageAt) || got.Preview != want.Preview {
			t.Errorf("conversation %s: got count=%d unread=%d last=%v preview=%q, want the recount's %d %d %v %q", id,
				got.MessageCount, got.UnreadCount, got.LastMessageAt, got.Preview, want.MessageCount, want.UnreadCount, want.LastMessageAt, want.Preview)
		}
	}
	if c, _ := s.Conversation(ctx, conv.ID); c.MessageCount != 6 || c.UnreadCount != 4 || !strings.HasPrefix(c.Preview, "same time") {
		t.Errorf("conversation: got count=%d unread=%d preview=%q, want 6, 4, the outgoing message", c.MessageCount, c.UnreadCount, c.Preview)
	}
}
