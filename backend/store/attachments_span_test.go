package store

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// An attachment whose encoded body lies in the original is stored once:
// no data column, and Attachment decodes it from the original.
func TestAttachmentKeptOnceInTheOriginal(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, _ := seedConversation(t, s, "span@example.com", 0, fixedNow())
	data := bytes.Repeat([]byte{0, 1, 2, 250, 251, 'x'}, 5000)
	enc := base64.StdEncoding.EncodeToString(data)
	var body strings.Builder
	for k := 0; k < len(enc); k += 76 {
		body.WriteString(enc[k:min(k+76, len(enc))] + "\r\n")
	}
	head := "Subject: file\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	raw := []byte(head + body.String())
	m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Raw: raw,
		Attachments: []inbox.Attachment{{Name: "f.bin", Data: data, Fetched: true, Part: "1", Encoding: "base64",
			InRaw: [2]int{len(head), len(raw)}}}}
	if err := s.Tx(ctx, func(tx *sql.Tx) error { _, err := s.InsertMessageTx(ctx, tx, &m); return err }); err != nil {
		t.Fatal(err)
	}
	var stored sql.NullString
	if err := s.db.QueryRow(`SELECT data FROM attachments WHERE id = ?`, m.Attachments[0].ID).Scan(&stored); err != nil || stored.Valid {
		t.Fatalf("attachments.data: got %d bytes (%v), want NULL (kept in the original only)", len(stored.String), err)
	}
	a, err := s.Attachment(ctx, m.Attachments[0].ID)
	if err != nil || !bytes.Equal(a.Data, data) || a.Part != "1" || !a.Fetched {
		t.Fatalf("attachment: got %d bytes part %q fetched %v (%v), want %d bytes part 1", len(a.Data), a.Part, a.Fetched, err, len(data))
	}
	got, err := s.RawMessage(ctx, m.ID)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("original: got %d bytes (%v), want %d exactly", len(got), err, len(raw))
	}
	var comp string
	s.db.QueryRow(`SELECT compression FROM message_raw WHERE seq = (SELECT seq FROM messages WHERE id = ?)`, m.ID).Scan(&comp)
	if comp != "s2" {
		t.Errorf("compression: got %q, want s2", comp)
	}
}

// Originals written deflated by earlier versions still read back.
func TestDeflatedOriginalStillReads(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, msgs := seedConversation(t, s, "old@example.com", 1, fixedNow())
	_ = conv
	raw := bytes.Repeat([]byte("Subject: old\r\n"), 200)
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write(raw)
	w.Close()
	if _, err := s.db.Exec(`INSERT INTO message_raw (seq, compression, size, data) SELECT seq, 'deflate', ?, ? FROM messages WHERE id = ?`,
		len(raw), buf.Bytes(), msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.RawMessage(ctx, msgs[0].ID)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("deflated original: got %d bytes (%v), want %d", len(got), err, len(raw))
	}
}

// Under DeferRefresh a batch never recounts a conversation from its
// messages: each insert moves the counters, current at every step.
func TestDeferRefreshRecountsOncePerBatch(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, _ := seedConversation(t, s, "batch@example.com", 0, fixedNow())
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		dctx, flush := s.DeferRefresh(ctx)
		for i := 0; i < 3; i++ {
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
				Date: fixedNow().Add(time.Duration(i) * time.Hour), Text: "batch body"}
			if _, err := s.InsertMessageTx(dctx, tx, &m); err != nil {
				return err
			}
		}
		c, err := s.ConversationTx(ctx, tx, conv.ID)
		if err != nil {
			return err
		}
		if c.MessageCount != 3 || !c.LastMessageAt.Equal(fixedNow().Add(2*time.Hour)) {
			t.Errorf("before flush: got count %d last %v, want 3 and the newest time", c.MessageCount, c.LastMessageAt)
		}
		return flush(dctx, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Conversation(ctx, conv.ID)
	if c.MessageCount != 3 || c.UnreadCount != 3 || c.Preview != "batch body" {
		t.Fatalf("after flush: got count %d unread %d preview %q, want 3, 3, batch body", c.MessageCount, c.UnreadCount, c.Preview)
	}
}
