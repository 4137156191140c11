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

func TestRemoveAccountWithHistory(t *testing.T) {
	a, rec := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	db := a.ws.Store.DB()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	accts, _ := a.ws.Store.Accounts(a.ctx)
	var gone, kept inbox.Account
	for _, acct := range accts {
		if acct.Channel == inbox.ChannelEmail {
			gone = acct
		} else {
			kept = acct
		}
	}
	keptConvs := count(`SELECT count(*) FROM conversations WHERE account_id = '` + kept.ID + `'`)
	msgs, notes := count(`SELECT count(*) FROM messages`), count(`SELECT count(*) FROM notes`)
	svc := NewAccounts(a.ws, rec, nil)
	h, err := svc.RemoveWithHistory(gone.ID)
	if err != nil || h.Conversations == 0 || h.Messages == 0 {
		t.Fatalf("remove with history: got %+v, %v", h, err)
	}
	if got := count(`SELECT count(*) FROM messages`); got != msgs-h.Messages {
		t.Fatalf("messages left: got %d, want %d", got, msgs-h.Messages)
	}
	if got := count(`SELECT count(*) FROM conversations WHERE account_id = '` + kept.ID + `'`); got != keptConvs || got == 0 {
		t.Fatalf("the other account's conversations: got %d, want %d", got, keptConvs)
	}
	for what, q := range map[string]string{
		"conversations of the account": `SELECT count(*) FROM conversations WHERE account_id = '` + gone.ID + `'`,
		"the account":                  `SELECT count(*) FROM accounts WHERE id = '` + gone.ID + `'`,
		"orphan raw messages":          `SELECT count(*) FROM message_raw WHERE seq NOT IN (SELECT seq FROM messages)`,
		"orphan attachments":           `SELECT count(*) FROM attachments WHERE seq NOT IN (SELECT seq FROM messages)`,
		"orphan labels":                `SELECT count(*) FROM conversation_labels WHERE conversation_id NOT IN (SELECT id FROM conversations)`,
		"orphan events":                `SELECT count(*) FROM events WHERE conversation_id NOT IN (SELECT id FROM conversations)`,
		"orphan notes":                 `SELECT count(*) FROM notes WHERE conversation_id IS NOT NULL AND conversation_id NOT IN (SELECT id FROM conversations)`,
		"stale full-text rows":         `SELECT (SELECT count(*) FROM message_fts) - (SELECT count(*) FROM messages)`,
		"stale note full-text rows":    `SELECT (SELECT count(*) FROM note_fts) - (SELECT count(*) FROM notes)`,
	} {
		if n := count(q); n != 0 {
			t.Errorf("%s after removing with history: %d, want 0", what, n)
		}
	}
	if count(`SELECT count(*) FROM notes`) >= notes {
		t.Error("the account's conversations' notes were kept")
	}
}
