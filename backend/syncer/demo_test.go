package syncer

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// TestDemoAccountsNeverSync: the demo's accounts have no server; the syncer
// refuses them at once and leaves their state untouched.
func TestDemoAccountsNeverSync(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Seed(ctx, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	a, err := st.AccountByName(ctx, "Shop mail (demo)")
	if err != nil {
		t.Fatal(err)
	}
	s := New(st, nil)
	if _, err := s.SyncAccount(ctx, a); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("SyncAccount on a demo account: got %v, want ErrInvalid", err)
	}
	if err := s.Run(ctx, a, nil); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("Run on a demo account: got %v, want ErrInvalid", err)
	}
	if _, _, err := s.Connect(ctx, a); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("Connect on a demo account: got %v, want ErrInvalid", err)
	}
	after, _ := st.Account(ctx, a.ID)
	if after.LastError != "" {
		t.Errorf("demo account error: got %q, want none", after.LastError)
	}
}
