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
