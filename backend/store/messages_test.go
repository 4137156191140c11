package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// seedConversation stores a contact, a conversation and n inbound messages.
func seedConversation(t *testing.T, s *Store, email string, n int, at time.Time) (inbox.Conversation, []inbox.Message) {
	t.Helper()
	ctx := context.Background()
	var conv inbox.Conversation
	var msgs []inbox.Message
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		cid, err := s.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, email, "Customer "+email)
		if err != nil {
			return err
		}
		conv = inbox.Conversation{ContactID: cid, Channel: inbox.ChannelEmail, Subject: "About " + email}
		if err := s.CreateConversationTx(ctx, tx, &conv); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
				Date: at.Add(time.Duration(i) * time.Minute), From: inbox.Address{Name: "Customer", Address: email},
				To: []inbox.Address{{Address: "shop@example.com"}}, Subject: conv.Subject, Text: "message body " + strings.Repeat("x", i)}
			if _, err := s.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
			msgs = append(msgs, m)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return conv, msgs
}

func TestInsertMessageKeepsRawBytesExactly(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, _ := seedConversation(t, s, "a@example.com", 0, fixedNow())
	raws := [][]byte{
		[]byte("Subject: tiny\r\n\r\nhi\r\n"),
		bytes.Repeat([]byte("Subject: big\r\nX-Pad: 0123456789\r\n"), 500),
		{0xff, 0xfe, 0x00, 0x1b, '$', 'B', 0x80}, // not even text
	}
	for i, raw := range raws {
		m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Raw: raw,
			Attachments: []inbox.Attachment{{Name: "f.bin", Data: []byte{1, 2, 3}}}}
		if err := s.Tx(ctx, func(tx *sql.Tx) error { _, err := s.InsertMessageTx(ctx, tx, &m); return err }); err != nil {
			t.Fatal(err)
		}
		got, err := s.RawMessage(ctx, m.ID)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("raw %d: got %d bytes (%v), want %d bytes exactly", i, len(got), err, len(raw))
		}
		a, err := s.Attachment(ctx, m.Attachments[0].ID)
		if err != nil || !bytes.Equal(a.Data, []byte{1, 2, 3}) || a.Size != 3 {
			t.Errorf("attachment %d: got %+v, %v", i, a, err)
		}
	}
	if _, err := s.RawMessage(ctx, "msg_missing"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("raw of missing message: got %v, want ErrNotFound", err)
	}
}

func TestInsertMessageUpdatesConversationAndIndex(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	at := fixedNow()
	conv, msgs := seedConversation(t, s, "b@example.com", 3, at)
	c, err := s.Conversation(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.MessageCount != 3 || c.UnreadCount != 3 || !c.LastMessageAt.Equal(at.Add(2*time.Minute)) || !strings.HasPrefix(c.Preview, "message body xx") {
		t.Fatalf("conversation: got count=%d unread=%d last=%v preview=%q", c.MessageCount, c.UnreadCount, c.LastMessageAt, c.Preview)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM message_fts WHERE message_fts MATCH 'body'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("FTS rows for 'body': got %d, %v, want 3", n, err)
	}
	if err := s.MarkMessageRead(ctx, msgs[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Conversation(ctx, conv.ID); c.UnreadCount != 2 {
		t.Fatalf("unread after reading one: got %d, want 2", c.UnreadCount)
	}
	if err := s.MarkRead(ctx, conv.ID, true); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.Conversation(ctx, conv.ID); c.UnreadCount != 0 {
		t.Fatalf("unread after reading all: got %d, want 0", c.UnreadCount)
	}
	got, err := s.Messages(ctx, conv.ID)
	if err != nil || len(got) != 3 || got[0].From.Address != "b@example.com" || got[0].To[0].Address != "shop@example.com" {
		t.Fatalf("messages: got %+v, %v", got, err)
	}
	// A message into a conversation that does not exist is refused whole.
	bad := inbox.Message{ConversationID: "cv_nope", Channel: inbox.ChannelEmail, Direction: inbox.In}
	if err := s.Tx(ctx, func(tx *sql.Tx) error { _, err := s.InsertMessageTx(ctx, tx, &bad); return err }); err == nil {
		t.Fatal("message into a missing conversation: got no error")
	}
	if s.db.QueryRow(`SELECT count(*) FROM messages`).Scan(&n); n != 3 {
		t.Fatalf("messages after failed insert: got %d, want 3", n)
	}
}

func TestConversationListPagingAndFilters(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	base := fixedNow()
	var ids []string
	for i := 0; i < 7; i++ {
		c, _ := seedConversation(t, s, "p"+string(rune('a'+i))+"@example.com", 1, base.Add(time.Duration(i)*time.Hour))
		ids = append(ids, c.ID)
	}
	if err := s.SetStatus(ctx, ids[0], inbox.StatusClosed, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLabel(ctx, ids[1], "VIP"); err != nil {
		t.Fatal(err)
	}
	var seen []string
	f := ListFilter{Limit: 3}
	for {
		page, err := s.Conversations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			seen = append(seen, c.ID)
		}
		last := page[len(page)-1]
		f.AfterTime, f.AfterID = last.LastMessageAt, last.ID
	}
	if len(seen) != 7 || seen[0] != ids[6] || seen[6] != ids[0] {
		t.Fatalf("paging: got %v, want all 7 newest first", seen)
	}
	closed, _ := s.Conversations(ctx, ListFilter{Status: inbox.StatusClosed})
	if len(closed) != 1 || closed[0].ID != ids[0] {
		t.Fatalf("closed view: got %d rows", len(closed))
	}
	vip, _ := s.Conversations(ctx, ListFilter{Label: "VIP"})
	if len(vip) != 1 || vip[0].ID != ids[1] || vip[0].Labels[0] != "VIP" || vip[0].Contact.Name == "" {
		t.Fatalf("label view: got %+v", vip)
	}
	none, _ := s.Conversations(ctx, ListFilter{IDs: []string{}})
	if len(none) != 0 {
		t.Fatalf("empty ID list: got %d rows, want 0", len(none))
	}
	total, unread, _ := s.StatusCounts(ctx)
	if total[inbox.StatusOpen] != 6 || total[inbox.StatusClosed] != 1 || unread[inbox.StatusOpen] != 6 {
		t.Fatalf("counts: got %v / %v", total, unread)
	}
}

func TestSnoozeWakesAtItsTime(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	now := fixedNow()
	s.now = func() time.Time { return now }
	c, _ := seedConversation(t, s, "s@example.com", 1, now)
	if err := s.SetStatus(ctx, c.ID, inbox.StatusSnoozed, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if woke, _ := s.WakeSnoozed(ctx); len(woke) != 0 {
		t.Fatalf("woke early: %v", woke)
	}
	now = now.Add(time.Hour)
	woke, err := s.WakeSnoozed(ctx)
	if err != nil || len(woke) != 1 || woke[0] != c.ID {
		t.Fatalf("wake: got %v, %v", woke, err)
	}
	got, _ := s.Conversation(ctx, c.ID)
	if got.Status != inbox.StatusOpen || !got.SnoozedUntil.IsZero() {
		t.Fatalf("after wake: got %s until %v", got.Status, got.SnoozedUntil)
	}
	evs, _ := s.Events(ctx, c.ID)
	if len(evs) != 2 || !strings.Contains(evs[1].Detail, "snooze ended") {
		t.Fatalf("events: got %+v", evs)
	}
}
