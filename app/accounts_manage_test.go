package app

import (
	"errors"
	"testing"

	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/workspace"
)

type stopRecorder struct{ stopped []string }

func (s *stopRecorder) StopAccount(id string) { s.stopped = append(s.stopped, id) }

func TestRemoveAccountKeepsHistory(t *testing.T) {
	a, rec := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	accts, err := a.ws.Store.Accounts(a.ctx)
	if err != nil || len(accts) == 0 {
		t.Fatalf("demo accounts: got %d, %v", len(accts), err)
	}
	acct := accts[0]
	sec := secrets.Open(a.ws.Dir, &secrets.Options{NoKeyring: true})
	if err := sec.Set(secrets.PasswordKey(acct.ID), "hunter2"); err != nil {
		t.Fatal(err)
	}
	stop := &stopRecorder{}
	mail := NewMail(a.ws, rec, sec, nil) // no loop runs: stopping it is a no-op
	svc := NewAccounts(a.ws, rec, sec, stop, mail)

	h, err := svc.History(acct.ID)
	if err != nil || h.Conversations == 0 || h.Messages < h.Conversations {
		t.Fatalf("history: got %+v, %v", h, err)
	}
	before, _ := a.Conversations(listAll())
	if err := svc.Rename(acct.ID, accts[len(accts)-1].Name); len(accts) > 1 && !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("rename onto another account's name: got %v, want ErrConflict", err)
	}
	if err := svc.Rename(acct.ID, "Old shop mail"); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Remove(acct.ID)
	if err != nil || got != h {
		t.Fatalf("remove: got %+v, %v, want %+v", got, err, h)
	}
	if len(stop.stopped) != 1 || stop.stopped[0] != acct.ID {
		t.Fatalf("stoppers told: got %v, want [%s]", stop.stopped, acct.ID)
	}
	if _, err := a.ws.Store.Account(a.ctx, acct.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("account after remove: got %v, want ErrNotFound", err)
	}
	if _, err := sec.Get(secrets.PasswordKey(acct.ID)); err == nil {
		t.Fatal("the removed account's password is still kept")
	}
	after, _ := a.Conversations(listAll())
	if len(after) != len(before) {
		t.Fatalf("conversations after remove: got %d, want %d (history kept)", len(after), len(before))
	}
	if _, err := svc.Remove(acct.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("remove twice: got %v, want ErrNotFound", err)
	}
}

func listAll() workspace.ListOptions { return workspace.ListOptions{Status: "all", Limit: 1000} }
