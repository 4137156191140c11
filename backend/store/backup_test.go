package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

func openDemo(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Seed(ctx, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	return st
}

// writeMessages keeps adding messages to new conversations until stop.
func writeMessages(ctx context.Context, st *store.Store, stop <-chan struct{}, n *atomic.Int64) error {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return nil
		default:
		}
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: fmt.Sprint("load ", i)}
			if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			for j := 0; j < 3; j++ {
				m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
					From: inbox.Address{Address: "load@example.com"}, Subject: c.Subject, Text: "body",
					Raw: []byte("Subject: load\r\n\r\nbody\r\n")}
				if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Add(3)
	}
}

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	st := openDemo(t)
	var base int
	st.DB().QueryRow(`SELECT count(*) FROM messages`).Scan(&base)
	stop := make(chan struct{})
	var written atomic.Int64
	var wg sync.WaitGroup
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		werr = writeMessages(ctx, st, stop, &written)
	}()
	for written.Load() < 30 {
		time.Sleep(5 * time.Millisecond)
	}
	dir := t.TempDir()
	var infos []store.BackupInfo
	for i := 0; i < 3; i++ {
		info, err := st.Backup(ctx, filepath.Join(dir, fmt.Sprintf("b%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		infos = append(infos, info)
	}
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatal(werr)
	}
	for i, info := range infos {
		if (info.Messages-base)%3 != 0 || info.Messages-base < 30 {
			t.Errorf("backup %d holds %d messages, want %d plus a multiple of 3 (whole transactions), at least 30", i, info.Messages, base)
		}
		// An independent open of the snapshot sees the same numbers.
		b, err := store.Open(ctx, info.Path, &store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		b.DB().QueryRow(`SELECT count(*) FROM messages`).Scan(&n)
		b.Close()
		if n != info.Messages {
			t.Errorf("backup %d: got %d messages, report says %d", i, n, info.Messages)
		}
	}
	if infos[2].Messages < infos[0].Messages {
		t.Errorf("later backup has fewer messages: %d < %d", infos[2].Messages, infos[0].Messages)
	}
	// No temporary files are left beside the backups.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("got %d files in the backup folder, want 3", len(ents))
	}
}

func TestBackupBadPaths(t *testing.T) {
	ctx := context.Background()
	st := openDemo(t)
	dir := t.TempDir()
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("my notes"), 0o600)
	if _, err := st.Backup(ctx, other); err == nil {
		t.Fatal("backup over a foreign file succeeded")
	}
	if b, _ := os.ReadFile(other); string(b) != "my notes" {
		t.Fatal("backup damaged a foreign file")
	}
	if _, err := st.Backup(ctx, filepath.Join(dir, "missing", "b.db")); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
	if _, err := st.Backup(ctx, st.FilePath()); err == nil {
		t.Fatal("backup over the store itself succeeded")
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	if os.Getuid() != 0 {
		if _, err := st.Backup(ctx, filepath.Join(ro, "b.db")); err == nil {
			t.Fatal("backup into a read-only folder succeeded")
		}
	}
	// Overwriting an earlier backup is fine.
	p := filepath.Join(dir, "b.db")
	for i := 0; i < 2; i++ {
		if _, err := st.Backup(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	storePath := filepath.Join(dir, "data", store.FileName)
	os.MkdirAll(filepath.Dir(storePath), 0o700)
	st, err := store.Open(ctx, storePath, nil)
	if err != nil {
		t.Fatal(err)
	}
	demo.Seed(ctx, st, time.Now())
	backup := filepath.Join(dir, "backup.db")
	want, err := st.Backup(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	// Change the live store after the backup, then restore.
	convs, _ := st.AllConversationIDs(ctx)
	sums, _ := st.Conversations(ctx, store.ListFilter{})
	if _, err := st.ForgetContact(ctx, sums[0].ContactID); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// A backup from a newer Tidings is refused and nothing changes.
	newer := filepath.Join(dir, "newer.db")
	copyFile(t, backup, newer)
	db, _ := sql.Open("sqlite", newer)
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)`, store.LatestVersion()+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(storePath)
	if _, err := store.Restore(ctx, newer, storePath, time.Now()); !errors.Is(err, store.ErrTooNew) {
		t.Fatalf("restore of a newer backup: got %v, want ErrTooNew", err)
	}
	// Not a database, and a truncated database.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("this is not a database at all, just some text to fill it up"), 0o600)
	if _, err := store.Restore(ctx, junk, storePath, time.Now()); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("restore of junk: got %v, want ErrCorrupt", err)
	}
	full, _ := os.ReadFile(backup)
	trunc := filepath.Join(dir, "trunc.db")
	os.WriteFile(trunc, full[:len(full)/2], 0o600)
	if _, err := store.Restore(ctx, trunc, storePath, time.Now()); err == nil {
		t.Fatal("restore of a truncated backup succeeded")
	}
	after, _ := os.ReadFile(storePath)
	if string(before) != string(after) {
		t.Fatal("a refused restore changed the store")
	}

	// While the store is open (Tidings running), nothing is replaced.
	running, err := store.Open(ctx, storePath, nil)
	if err != nil {
		t.Fatal(err)
	}
	running.AllConversationIDs(ctx)
	if _, err := store.Restore(ctx, backup, storePath, time.Now()); err == nil || !strings.Contains(err.Error(), "close Tidings first") {
		t.Errorf("restore over an open store: got %v", err)
	}
	running.Close()
	ri, err := store.Restore(ctx, backup, storePath, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if ri.Previous == "" {
		t.Fatal("previous store not kept")
	}
	prev, err := store.Open(ctx, ri.Previous, &store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("previous store does not open: %v", err)
	}
	prevIDs, _ := prev.AllConversationIDs(ctx)
	prev.Close()
	if len(prevIDs) >= len(convs) {
		t.Errorf("previous store has %d conversations, want fewer than %d (the forgotten contact's are gone)", len(prevIDs), len(convs))
	}
	st, err = store.Open(ctx, storePath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _ := st.AllConversationIDs(ctx)
	if len(got) != want.Conversations {
		t.Errorf("restored store: got %d conversations, want %d", len(got), want.Conversations)
	}
}

func copyFile(t *testing.T, src, dst string) {
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
