package app

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// nameRecorder keeps every emitted event name.
type nameRecorder struct {
	mu    sync.Mutex
	names []string
}

func (r *nameRecorder) Emit(name string, _ ...any) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
}

func (r *nameRecorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, x := range r.names {
		if x == name {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEmailService connects a mailbox through the bound service, sees new
// mail arrive through IDLE within seconds, and replies.
func TestEmailService(t *testing.T) {
	const user, pass = "owner@shop.example", "pw-for-the-window"
	dove := dovetest.Start(t, map[string]string{user: pass})
	smtpSrv := dovetest.StartSMTP(t, user, pass)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	rec := &nameRecorder{}
	e := NewEmail(ws, rec, secrets.Open(dir, &secrets.Options{NoKeyring: true}), nil)
	e.run = &syncer.RunOptions{Poll: time.Hour, IdleMax: time.Minute}
	e.Startup(ctx)
	defer e.Shutdown()

	ih, ip, _ := net.SplitHostPort(dove.Addr)
	sh, sp, _ := net.SplitHostPort(smtpSrv.Addr)
	ipn, _ := strconv.Atoi(ip)
	spn, _ := strconv.Atoi(sp)
	form := syncer.AccountForm{Name: "Shop", Address: user, IMAPHost: ih, IMAPPort: ipn, SMTPHost: sh, SMTPPort: spn, Security: "none"}
	if _, err := e.AddAccount(form, "wrong"); err == nil || !strings.Contains(err.Error(), "login rejected") {
		t.Fatalf("wrong password: got %v, want login rejected", err)
	}
	added, err := e.AddAccount(form, pass)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(added.Folders, ",") != "INBOX,Sent,Archive" {
		t.Errorf("folders: got %v", added.Folders)
	}
	// No keyring here: the first password started the private file, and
	// the window is told so once.
	if !strings.Contains(added.Notice, "readable only by you") || !strings.Contains(added.Notice, dir) {
		t.Errorf("notice: got %q, want where the password went", added.Notice)
	}
	form2 := form
	form2.Name = "Shop again"
	e.OnAccountAdded = func(string) {} // no second sync loop on the same mailbox
	if again, err := e.AddAccount(form2, pass); err != nil || again.Notice != "" {
		t.Errorf("second account: notice %q (%v), want none", again.Notice, err)
	} else if err := e.ws.Store.DeleteAccount(ctx, again.ID); err != nil {
		t.Fatal(err)
	}
	e.OnAccountAdded = nil
	waitFor(t, "first sync", 15*time.Second, func() bool { return rec.count(EventEmailSync) >= 1 })

	start := time.Now()
	before := rec.count(EventChanged)
	if err := dove.Save(user, "INBOX", []byte("From: Ann <ann@example.com>\r\nTo: "+user+"\r\nSubject: Brakes\r\nMessage-ID: <brakes@example.com>\r\n\r\nMy brakes squeak.\r\n")); err != nil {
		t.Fatal(err)
	}
	var convID string
	waitFor(t, "new mail through IDLE", 10*time.Second, func() bool {
		list, _ := ws.Conversations(ctx, workspace.ListOptions{})
		for _, c := range list {
			if c.Subject == "Brakes" {
				convID = c.ID
			}
		}
		return convID != "" && rec.count(EventChanged) > before
	})
	t.Logf("new mail listed %v after delivery", time.Since(start).Round(time.Millisecond))

	// The window replies through the composer's path (Inbox.Send).
	in := New(ws, rec)
	in.Startup(ctx)
	d, err := in.ComposeDefaults(convID, ModeReply)
	if err != nil {
		t.Fatal(err)
	}
	o, err := in.Send(SendRequest{Mode: ModeReply, ConversationID: convID, AccountID: d.AccountID, To: d.To, Body: "We will fix them today."})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "reply sent", 15*time.Second, func() bool {
		states, _ := in.Outbox(convID)
		return states[o.MessageID].State == "sent" && len(smtpSrv.Messages()) == 1
	})
	if got := smtpSrv.Messages()[0]; got.To[0] != "ann@example.com" || !strings.Contains(string(got.Data), "In-Reply-To: <brakes@example.com>") {
		t.Errorf("sent %v", got)
	}
	th, err := ws.Thread(ctx, convID)
	if err != nil || len(th.Messages) != 2 || th.Messages[1].MessageID != o.MessageID {
		t.Fatalf("thread after reply: %v %+v", err, th.Messages)
	}
	origin, err := e.Origin(th.Messages[0].ID)
	if err != nil || strings.Join(origin.Folders, ",") != "INBOX" || origin.Gone {
		t.Errorf("origin: %+v %v", origin, err)
	}
}
