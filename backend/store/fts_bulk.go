package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"weak"
)

// Every committed sync batch flushes one full-text segment, and FTS5 merges
// segments as it goes: a merge whenever a level holds 'automerge' of them
// (16 here, migration 0014), all of a level at once when it holds
// 'crisismerge' (16). Over a 20,000-message sync that merging is 6-8% of
// the writer's CPU, spent on the one goroutine every batch waits for, and
// a third of the background checkpoint's (it copies every page rewritten).
// The index is whole and searchable without it, so a bulk sync defers it and
// one merge (MergeFTS, a step at a time) runs once the sync is over.
//
// Both settings live in message_fts_config, so they outlast the process:
// ResumeFTSMerge, RestoreFTSMerge and MergeFTS put the ordinary ones back,
// and a sync killed halfway leaves only an index that merges at its next
// upkeep.

// FTS5 merge settings: the ordinary ones, and those of a bulk sync.
const (
	ftsAutomerge   = 16
	ftsCrisismerge = 16
	// ftsBulkCrisismerge bounds the segments a bulk sync lets pile up on
	// a level (FTS5 allows 2,000), one per batch of about 100 messages: a
	// query meanwhile reads at most about this many segments per term
	// (measured at 20,000 messages and 182 segments: 7-50 ms against
	// 5-20 ms merged), and a sync of more than some 25,000 messages
	// merges them once per 256 batches, each entry copied once instead of
	// once per sixteen-fold level.
	ftsBulkCrisismerge = 256
)

// ftsBulk counts, per store, the bulk syncs under way: settings change
// when the first starts and are restored when the last ends. Weak keys
// let a closed store go.
var ftsBulk struct {
	sync.Mutex
	n      map[weak.Pointer[Store]]int
	wanted map[weak.Pointer[Store]]chan struct{}
}

// DeferFTSMerge stops the message index's segment merging for a bulk sync
// (see above); the returned function ends the deferral (ResumeFTSMerge)
// and is safe to call more than once. Deferrals nest: merging resumes when
// the last one ends. Call it (and resume) outside any transaction: each
// writes the setting in one of its own. Failing to change the setting is
// no error for the sync: it only merges as usual.
func (s *Store) DeferFTSMerge(ctx context.Context) (resume func()) {
	ftsBulk.Lock()
	if ftsBulk.n == nil {
		ftsBulk.n = map[weak.Pointer[Store]]int{}
	}
	k := weak.Make(s)
	ftsBulk.n[k]++
	first := ftsBulk.n[k] == 1
	if first {
		s.setFTSMerge(ctx, 0, ftsBulkCrisismerge)
	}
	ftsBulk.Unlock()
	var once sync.Once
	return func() { once.Do(func() { s.ResumeFTSMerge(context.WithoutCancel(ctx)) }) }
}

// ResumeFTSMerge ends one DeferFTSMerge: the last one restores the
// ordinary merge settings and signals FTSMergeWanted.
func (s *Store) ResumeFTSMerge(ctx context.Context) {
	ftsBulk.Lock()
	defer ftsBulk.Unlock()
	k := weak.Make(s)
	if ftsBulk.n[k] > 0 {
		ftsBulk.n[k]--
	}
	if ftsBulk.n[k] > 0 {
		return
	}
	delete(ftsBulk.n, k)
	s.setFTSMerge(ctx, ftsAutomerge, ftsCrisismerge)
	select {
	case s.mergeWanted() <- struct{}{}:
	default: // one is pending already
	}
}

// FTSMergeWanted receives a value when a bulk sync has ended with its
// merging deferred: whoever keeps the index (the window's upkeep) should
// run MergeFTS soon.
func (s *Store) FTSMergeWanted() <-chan struct{} {
	ftsBulk.Lock()
	defer ftsBulk.Unlock()
	return s.mergeWanted()
}

// mergeWanted is the store's signal channel; ftsBulk must be held.
func (s *Store) mergeWanted() chan struct{} {
	if ftsBulk.wanted == nil {
		ftsBulk.wanted = map[weak.Pointer[Store]]chan struct{}{}
	}
	k := weak.Make(s)
	c := ftsBulk.wanted[k]
	if c == nil {
		c = make(chan struct{}, 1)
		ftsBulk.wanted[k] = c
	}
	return c
}

// RestoreFTSMerge puts the ordinary merge settings back unless a bulk
// sync is under way in this process: after a process died during one,
// they would stay deferred. It writes only when they differ.
func (s *Store) RestoreFTSMerge(ctx context.Context) error {
	ftsBulk.Lock()
	defer ftsBulk.Unlock()
	if ftsBulk.n[weak.Make(s)] > 0 {
		return nil
	}
	var auto, crisis int
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT v FROM message_fts_config WHERE k = 'automerge'), ?),
		COALESCE((SELECT v FROM message_fts_config WHERE k = 'crisismerge'), ?)`, ftsAutomerge, ftsCrisismerge).Scan(&auto, &crisis)
	if err != nil {
		return fmt.Errorf("store: reading the search index's settings: %w", err)
	}
	if auto == ftsAutomerge && crisis == ftsCrisismerge {
		return nil
	}
	return s.setFTSMerge(ctx, ftsAutomerge, ftsCrisismerge)
}

// setFTSMerge writes message_fts's automerge and crisismerge in one
// transaction.
func (s *Store) setFTSMerge(ctx context.Context, automerge, crisismerge int) error {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for _, kv := range []struct {
			k string
			v int
		}{{"automerge", automerge}, {"crisismerge", crisismerge}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO message_fts(message_fts, rank) VALUES (?, ?)`, kv.k, kv.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: setting the search index's merging: %w", err)
	}
	return nil
}

// FTSSegments counts the message index's b-tree segments (FTS5 keeps a
// segment's pages in message_fts_data under rowids whose top bits are its
// ID, 1 to 65535; tombstone pages sit above). A query reads every segment
// once per term: a merged index has one or a few.
func (s *Store) FTSSegments(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT id >> 37) FROM message_fts_data WHERE id >= (1 << 37) AND id < (65536 << 37)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: counting the search index's segments: %w", err)
	}
	return n, nil
}
