package syncer

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// TestSendWhileSentSyncs sends a reply (SendOutbox appends the copy to Sent
// and picks it up) while another connection syncs the Sent folder over and
// over, as the window's Send and the sync loop do. Both see the new UID;
// whichever stores it second must find it stored: one message, one
// location in Sent, no error and nothing logged as failed, every round.
func TestSendWhileSentSyncs(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	h := newHarness(t, &Options{Log: slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil))})
	h.save("INBOX", customer(1, ""))
	h.sync()
	parent := h.messageByHeader("<q1@example.com>")
	connect := func() (*email.Session, email.Config, []email.Folder) {
		sess, cfg, err := h.sy.Connect(h.ctx, h.acc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sess.Close() })
		all, err := sess.Folders(h.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sess, cfg, email.PickFolders(all, cfg.Folders)
	}
	sendSess, cfg, folders := connect()
	syncSess, _, _ := connect()
	var sent email.Folder
	for _, f := range folders {
		if f.Role == email.RoleSent {
			sent = f
		}
	}
	if sent.Name == "" {
		t.Fatalf("no Sent folder among %v", folders)
	}
	const rounds = 12
	for r := range rounds {
		d := email.Reply(parent, inbox.Address{Name: "Shop", Address: user}, nil, false, "Reply number "+strings.Repeat("x", r))
		item, _, err := h.sy.Queue(h.ctx, h.acc, parent.ConversationID, d)
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(h.ctx)
		var wg sync.WaitGroup
		var syncErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := h.sy.syncFolder(h.ctx, syncSess, h.acc, cfg, sent); err != nil {
					syncErr = err
					return
				}
			}
		}()
		_, _, sendErr := h.sy.SendOutbox(h.ctx, sendSess, h.acc, cfg, folders)
		stop()
		wg.Wait()
		if sendErr != nil || syncErr != nil {
			t.Fatalf("round %d: send: %v; sync of Sent beside it: %v", r, sendErr, syncErr)
		}
		if n := h.count(`SELECT count(*) FROM messages WHERE message_id = ?`, item.MessageID); n != 1 {
			t.Errorf("round %d: the reply is stored %d times, want once", r, n)
		}
		if n := h.count(`SELECT count(*) FROM message_locations l JOIN messages m ON m.seq = l.seq
			WHERE m.message_id = ? AND l.folder = ? AND l.gone_at = 0`, item.MessageID, sent.Name); n != 1 {
			t.Errorf("round %d: the reply has %d live locations in %s, want 1", r, n, sent.Name)
		}
	}
	if n := len(h.smtp.Messages()); n != rounds {
		t.Errorf("smtp got %d messages, want %d", n, rounds)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if strings.Contains(logs.String(), "UNIQUE") || strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), pass) {
		t.Errorf("the password reached a log line")
	}
}

// lockedWriter serialises writes from the goroutines of a test.
type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
