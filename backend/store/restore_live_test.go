package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tidings/backend/store"
)

func TestRestoreLive(t *testing.T) {
	ctx := context.Background()
	st := openDemo(t)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	want, err := st.Backup(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	// Change the store after the backup: forget a contact.
	sums, _ := st.Conversations(ctx, store.ListFilter{})
	forgotten := sums[0].ContactID
	if _, err := st.ForgetContact(ctx, forgotten); err != nil {
		t.Fatal(err)
	}
	changed, err := st.StoreCounts(ctx)
	if err != nil || changed.Messages >= want.Messages {
		t.Fatalf("counts after forget: %+v %v (backup has %d messages)", changed, err, want.Messages)
	}

	// Keep a writer busy on the store's other connections while the
	// restore runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		writeErr = writeMessages(ctx, st, stop, &written)
	}()
	time.Sleep(50 * time.Millisecond)
	ri, err := st.RestoreLive(ctx, backup, time.Now())
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if writeErr != nil {
		t.Fatalf("a writer during the restore: %v", writeErr)
	}
	if ri.Previous == "" || ri.Messages != want.Messages {
		t.Fatalf("restore info: %+v", ri)
	}
	// The kept previous store is a verified backup of the changed store
	// (plus what the writer added before the copy).
	prev, err := store.CheckBackup(ctx, ri.Previous)
	if err != nil || prev.Messages < changed.Messages {
		t.Fatalf("previous store %s: %+v %v", ri.Previous, prev, err)
	}
	// The live store now holds the backup (and what the writer added after).
	got, _ := st.StoreCounts(ctx)
	if got.Messages < want.Messages || got.Contacts < want.Contacts {
		t.Fatalf("after restore %+v, want the backup's %+v", got, want)
	}
	if _, err := st.Contact(ctx, forgotten); err != nil {
		t.Fatalf("the forgotten contact is not back: %v", err)
	}
	// Still a WAL store, intact, and writable.
	var mode string
	st.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal mode after restore: %q", mode)
	}
	if err := writeMessages(ctx, st, closed(), &written); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Backup(ctx, filepath.Join(dir, "after.db")); err != nil {
		t.Fatalf("the restored store does not verify: %v", err)
	}
}

func closed() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

func TestRestoreLiveRefusals(t *testing.T) {
	ctx := context.Background()
	st := openDemo(t)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	if _, err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	copyFile(t, backup, newer)
	db, _ := sql.Open("sqlite", newer)
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)`, store.LatestVersion()+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("this is not a database at all, just some text to fill it up"), 0o600)
	before, _ := st.StoreCounts(ctx)
	for _, c := range []struct {
		path string
		want error
	}{{newer, store.ErrTooNew}, {junk, store.ErrCorrupt}, {st.FilePath(), nil}, {filepath.Join(dir, "missing.db"), nil}} {
		_, err := st.RestoreLive(ctx, c.path, time.Now())
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("restore %s: got %v, want %v", filepath.Base(c.path), err, c.want)
		}
	}
	after, _ := st.StoreCounts(ctx)
	if after != before {
		t.Errorf("a refused restore changed the store: %+v -> %+v", before, after)
	}
	left, _ := filepath.Glob(st.FilePath() + ".*")
	if len(left) > 0 {
		t.Errorf("a refused restore left %v", left)
	}
}
