package benchdata

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	res, err := Generate(ctx, st, &Options{Conversations: 1200, Seed: 7, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Conversations != 1200 || res.Messages < 1200 || res.Messages > 5*1200 || res.Contacts != 240 || res.Labelled == 0 {
		t.Errorf("result = %+v, want 1200 conversations of 1-5 messages, 240 contacts, some labelled", res)
	}
	counts, _, err := st.StatusCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	if total != 1200 || counts[inbox.StatusOpen] == 0 || counts[inbox.StatusClosed] == 0 {
		t.Errorf("status counts = %+v, want 1200 over open and closed among others", counts)
	}
	convs, err := st.Conversations(ctx, store.ListFilter{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		if c.MessageCount < 1 || c.LastMessageAt.After(now) || c.ContactID == "" {
			t.Errorf("conversation %+v: want messages, a contact, no message after now", c)
		}
	}
	for _, a := range mustAccounts(t, st) {
		if !a.Demo() {
			t.Errorf("account %q is not marked demo: it would try to sync", a.Name)
		}
	}
}

func mustAccounts(t *testing.T, st *store.Store) []inbox.Account {
	t.Helper()
	a, err := st.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a
}
