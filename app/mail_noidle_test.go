package app

import (
	"fmt"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
)

// TestMailPollsWhenTheServerHasNoIdle: against a real Dovecot that does not
// announce IDLE (imap_capability without it), the window's loop falls back
// to polling the inbox every NoIdlePoll on the same connection: new mail is
// stored and announced within a poll, though the full-sync period (Poll)
// and the IDLE limit are an hour away; and SyncNow still cuts a wait short.
func TestMailPollsWhenTheServerHasNoIdle(t *testing.T) {
	h := newMailHarnessOn(t, mailPass, dovetest.Options{Users: map[string]string{mailUser: mailPass}, NoIdle: true})
	h.mail = NewMail(h.ws, h.rec, h.sec, &MailOptions{
		MinBackoff: 150 * time.Millisecond, MaxBackoff: 600 * time.Millisecond,
		Poll: time.Hour, IdleMax: time.Hour, NoIdlePoll: 300 * time.Millisecond,
		Syncer: syncerOptions(),
	})

	// The server really offers no IDLE: the loop cannot wait in it.
	cfg, err := email.ParseConfig(h.acc.Config)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := email.Connect(h.ctx, cfg, email.Auth{Password: mailPass}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Has("IDLE") {
		t.Fatal("the server announces IDLE; the test needs one without")
	}
	if _, err := sess.Select(h.ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Idle(h.ctx, time.Second); err != email.ErrNoIdle {
		t.Fatalf("Idle on a server without IDLE: got %v, want ErrNoIdle", err)
	}
	sess.Close()

	if err := h.dove.Save(mailUser, "INBOX", mailFrom(1)); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
	if h.conversationWith("order1@example.com") == "" {
		t.Fatal("the message on the server before start is not in the store")
	}

	// New mail while waiting: found by the next poll, on the same session.
	for i := 2; i <= 3; i++ {
		if err := h.dove.Save(mailUser, "INBOX", mailFrom(i)); err != nil {
			t.Fatal(err)
		}
		var conv string
		h.within(5*time.Second, "new mail found by polling", func() bool {
			conv = h.conversationWith(fmt.Sprintf("order%d@example.com", i))
			return conv != ""
		})
		h.eventually("new conversation announced", func() bool { return h.rec.changedIDs()[conv] })
	}
	h.eventually("idle again", func() bool { s := h.state(); return s.State == MailIdle && s.Done == 3 && s.Total == 3 })
	if got := h.mail.attempts(h.acc.ID); got != 1 {
		t.Errorf("connections = %d, want 1: polling runs on the session, it does not reconnect", got)
	}

	// SyncNow interrupts the poll wait.
	mark := h.rec.len()
	if err := h.mail.SyncNow(h.acc.ID); err != nil {
		t.Fatal(err)
	}
	h.eventually("sync now ran", func() bool { return h.rec.seen(mark, EventAccountStatus, MailSyncing) && h.state().State == MailIdle })
}
