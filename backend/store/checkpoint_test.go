package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackgroundCheckpoint: while a bulk writer leaves the WAL alone, the
// background checkpoint copies its pages into the database file, on a
// goroutine that first runs onThread (once), and stop waits for it.
func TestBackgroundCheckpoint(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE filler (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	var calls atomic.Int32
	stop := s.BackgroundCheckpoint(ctx, 10*time.Millisecond, func() { calls.Add(1) })
	// ~2 MB through BulkTx, which raises the autocheckpoint out of reach.
	err := s.BulkTx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 500; i++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO filler (v) VALUES (?)`, fmt.Sprint(i)+strings.Repeat("x", 4000)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for size() < before+1<<20 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if got := size(); got < before+1<<20 {
		t.Errorf("database file %d bytes after the background checkpoint, was %d: the WAL was not copied in", got, before)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("onThread ran %d times, want once", n)
	}
}
