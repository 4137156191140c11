package app

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
)

type restartRecorder struct {
	stopRecorder
	restarted []string
}

func (r *restartRecorder) Retry(id string) error {
	r.restarted = append(r.restarted, id)
	return nil
}

// TestSetPasswordAgainstDovecot: a new password is tested on the real
// servers (Dovecot, an in-process SMTP server) and kept only when it works.
func TestSetPasswordAgainstDovecot(t *testing.T) {
	const user, pass = "owner@shop.example", "the-right-one"
	dove := dovetest.Start(t, map[string]string{user: pass})
	smtpSrv := dovetest.StartSMTP(t, user, pass)
	a, rec := newInbox(t)
	ctx := context.Background()
	sec := secrets.Open(a.ws.Dir, &secrets.Options{NoKeyring: true})
	ih, ip, _ := net.SplitHostPort(dove.Addr)
	sh, sp, _ := net.SplitHostPort(smtpSrv.Addr)
	ipn, _ := strconv.Atoi(ip)
	spn, _ := strconv.Atoi(sp)
	added, err := syncer.AddAccount(ctx, a.ws.Store, sec, syncer.AccountForm{Name: "Shop", Address: user, IMAPHost: ih, IMAPPort: ipn,
		SMTPHost: sh, SMTPPort: spn, Security: "none", Password: pass}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := added.Account.ID
	// The saved password went stale (changed on the server meanwhile).
	if err := sec.Set(secrets.PasswordKey(id), "stale"); err != nil {
		t.Fatal(err)
	}
	r := &restartRecorder{}
	svc := NewAccounts(a.ws, rec, sec, r)

	if err := svc.SetPassword(id, "wrong"); err == nil || !strings.Contains(err.Error(), "login rejected") {
		t.Fatalf("wrong password: got %v, want login rejected", err)
	}
	if got, _ := sec.Get(secrets.PasswordKey(id)); got != "stale" || len(r.restarted) != 0 {
		t.Fatalf("after a rejected password: kept %q, restarted %v; want nothing changed", got, r.restarted)
	}
	if err := svc.SetPassword(id, ""); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("empty password: got %v, want ErrInvalid", err)
	}
	if err := svc.SetPassword(id, pass); err != nil {
		t.Fatal(err)
	}
	if got, _ := sec.Get(secrets.PasswordKey(id)); got != pass {
		t.Fatalf("kept password: got %q, want the new one", got)
	}
	if len(r.restarted) != 1 || r.restarted[0] != id {
		t.Fatalf("restarted: got %v, want [%s]", r.restarted, id)
	}

	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	accts, _ := a.ws.Store.Accounts(ctx)
	demos := 0
	for _, acct := range accts {
		if acct.Demo() {
			demos++
			if err := svc.SetPassword(acct.ID, "x"); !errors.Is(err, inbox.ErrInvalid) {
				t.Fatalf("demo account %s: got %v, want ErrInvalid", acct.Name, err)
			}
		}
	}
	if demos == 0 {
		t.Fatal("the demo added no demo accounts to try")
	}
}

// TestRemoveStopsTheRunningSync: removing an account ends its live sync
// loop (IDLE on Dovecot) and its status line; the mail it brought stays.
func TestRemoveStopsTheRunningSync(t *testing.T) {
	h := newMailHarness(t, mailPass)
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(1)); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
	h.mail.mu.Lock()
	loop := h.mail.loops[h.acc.ID]
	h.mail.mu.Unlock()
	svc := NewAccounts(h.ws, h.rec, h.sec, h.mail)
	hist, err := svc.Remove(h.acc.ID)
	if err != nil || hist.Messages != 1 {
		t.Fatalf("remove: got %+v, %v, want 1 message kept", hist, err)
	}
	if st := h.mail.Status(); len(st) != 0 {
		t.Fatalf("status lines after remove: got %+v, want none", st)
	}
	select {
	case <-loop.done:
	default:
		t.Fatal("the sync loop still runs after Remove returned")
	}
	if err := h.mail.SyncNow(h.acc.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("sync of a removed account: got %v, want ErrNotFound", err)
	}
	if h.conversationWith("order1@example.com") == "" {
		t.Fatal("the removed account's mail left the store")
	}
}
