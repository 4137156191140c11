package store

import (
	"context"
	"time"
)

// A bulk writer that checkpoints the WAL itself (wal_autocheckpoint) copies
// every page a second time on its own goroutine, a tenth of the cost of
// filing a message. A checkpoint can run on another connection while the
// writer keeps appending (RFC-free SQLite fact: PASSIVE mode waits for
// nobody), so a sync lets one run beside it on another core.

// BackgroundCheckpoint checkpoints the WAL (PASSIVE) every interval on a
// connection of its own until stop is called; BulkTx meanwhile leaves the
// WAL to it unless it grows past 256 MiB. onThread, when not nil, is
// called first on the checkpointing goroutine (the syncer lowers its
// thread's priority there: the checkpoint copies pages while the writer,
// the sync's bottleneck, files messages, and should yield to it).
func (s *Store) BackgroundCheckpoint(ctx context.Context, every time.Duration, onThread func()) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { recover() }() // a failed checkpoint is retried by the next write
		if onThread != nil {
			onThread()
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			}
		}
	}()
	return func() { cancel(); <-done }
}
