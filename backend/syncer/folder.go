package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// syncFolder brings one folder up to date: expunges by UID diff, flags both
// ways, then new messages newest first in bounded, pipelined batches, each
// batch one transaction with the folder's cursor. One sync of a folder runs
// at a time in a process (lockFolder).
func (s *Syncer) syncFolder(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder) (FolderReport, error) {
	rep := FolderReport{Folder: f.Name}
	unlock, err := lockFolder(ctx, a.ID, f.Name)
	if err != nil {
		return rep, err
	}
	defer unlock()
	curText, err := s.st.Cursor(ctx, a.ID, scope(f.Name))
	if err != nil {
		return rep, err
	}
	cur := parseCursor(curText)
	st, err := sess.Select(ctx, f.Name)
	if err != nil {
		return rep, err
	}
	if st.UIDValidity == 0 {
		return rep, fmt.Errorf("syncer: the server gave %q no UIDVALIDITY", f.Name)
	}
	sameV := cur.UIDValidity == st.UIDValidity
	rep.Remapped = cur.UIDValidity != 0 && !sameV
	// Nothing changed on the server: only local flag changes to send. The
	// scan for them reads every message of the folder, so it is skipped
	// while the local read state is as the last sync left it (checked at
	// least every flagCheckEvery).
	if sameV && cur.Complete && st.CondStore && cur.HighestModSeq == st.HighestModSeq && cur.UIDNext == st.UIDNext {
		n, err := s.st.LiveLocationCount(ctx, a.ID, f.Name, st.UIDValidity)
		if err != nil {
			return rep, err
		}
		if n == int(st.Messages) {
			rep.NothingToDo = true
			fp, err := s.st.ReadFingerprint(ctx, a.ID)
			if err != nil {
				return rep, err
			}
			if fp == cur.Local && s.opts.Now().Unix()-cur.FlagCheck < int64(flagCheckEvery.Seconds()) {
				return rep, nil
			}
			live, err := s.st.LiveLocations(ctx, a.ID, f.Name, st.UIDValidity)
			if err != nil {
				return rep, err
			}
			if rep.FlagsOut, err = s.pushFlags(ctx, sess, a.ID, f.Name, st.UIDValidity, live); err != nil {
				return rep, err
			}
			return rep, s.stampFlagCheck(ctx, a.ID, f.Name)
		}
	}
	live, err := s.st.LiveLocations(ctx, a.ID, f.Name, st.UIDValidity)
	if err != nil {
		return rep, err
	}

	uids, err := sess.UIDs(ctx)
	if err != nil {
		return rep, err
	}
	onServer := make(map[uint32]bool, len(uids))
	for _, u := range uids {
		onServer[u] = true
	}
	var gone []uint32
	// An empty answer for a folder that has messages is a server hiccup,
	// never a reason to call everything gone.
	if len(uids) > 0 || st.Messages == 0 {
		for u := range live {
			if !onServer[u] {
				gone = append(gone, u)
			}
		}
	}
	var metas []email.Meta
	if len(live) > 0 {
		since := uint64(0)
		if sameV && cur.Complete && st.CondStore {
			since = cur.HighestModSeq
		}
		if metas, err = sess.Metas(ctx, nil, since, false); err != nil {
			return rep, err
		}
	}
	next := cursor{UIDValidity: st.UIDValidity, UIDNext: st.UIDNext, HighestModSeq: st.HighestModSeq}
	var suspects []uint32
	if sameV {
		for u, at := range cur.Refused {
			if s.opts.Now().Unix()-at < refuseFor && onServer[u] {
				if next.Refused == nil {
					next.Refused = map[uint32]int64{}
				}
				next.Refused[u] = at
			}
		}
		for _, u := range cur.Suspect {
			if _, ok := live[u]; !ok && onServer[u] && next.Refused[u] == 0 {
				suspects = append(suspects, u)
			}
		}
		next.Struck = cur.Struck
		next.NoSizes = cur.NoSizes
		next.NoHeads = cur.NoHeads
	}
	var missing []uint32
	for _, u := range uids {
		if _, ok := live[u]; !ok && next.Refused[u] == 0 {
			missing = append(missing, u)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] > missing[j] }) // newest first
	// Messages listed from their header by an earlier sync still need
	// their body.
	pending, pendingSeq, err := s.st.PendingBodies(ctx, a.ID, f.Name, st.UIDValidity)
	if err != nil {
		return rep, err
	}
	// The body of a message the server no longer has will not come: it
	// is not asked for (the message stays, shown as gone).
	if len(gone) > 0 {
		pending = slices.DeleteFunc(pending, func(u uint32) bool { return !onServer[u] })
	}

	err = s.st.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.st.MarkGoneTx(ctx, tx, a.ID, f.Name, st.UIDValidity, gone); err != nil {
			return err
		}
		rep.Gone = len(gone)
		n, err := s.mergeFlagsTx(ctx, tx, a.ID, f.Name, st.UIDValidity, live, metas)
		if err != nil {
			return err
		}
		rep.FlagsIn = n
		if len(missing) > 0 || len(pending) > 0 {
			return nil // the last body batch completes the cursor
		}
		next.Complete = true
		if rep.Remapped || cur.UIDValidity == 0 {
			if _, err := s.st.RetireUIDValidityTx(ctx, tx, a.ID, f.Name, st.UIDValidity); err != nil {
				return err
			}
		}
		return s.st.SetCursorTx(ctx, tx, a.ID, scope(f.Name), next.String())
	})
	if err != nil {
		return rep, err
	}
	if rep.Gone+rep.FlagsIn > 0 {
		s.changed(a.ID)
	}
	if rep.Remapped && len(missing) > 0 {
		if missing, err = s.rematch(ctx, sess, a, f, next, missing, &rep); err != nil {
			return rep, err
		}
		if len(missing) == 0 && len(pending) == 0 {
			c := next
			c.Complete = true
			err := s.st.Tx(ctx, func(tx *sql.Tx) error {
				if _, err := s.st.RetireUIDValidityTx(ctx, tx, a.ID, f.Name, c.UIDValidity); err != nil {
					return err
				}
				return s.st.SetCursorTx(ctx, tx, a.ID, scope(f.Name), c.String())
			})
			if err != nil {
				return rep, err
			}
		}
	}
	if len(missing) > 0 || len(pending) > 0 {
		if err := s.bodies(ctx, sess, a, cfg, f, missing, pending, pendingSeq, suspects, next, &rep); err != nil {
			return rep, err
		}
	}
	live, err = s.st.LiveLocations(ctx, a.ID, f.Name, st.UIDValidity)
	if err != nil {
		return rep, err
	}
	if rep.FlagsOut, err = s.pushFlags(ctx, sess, a.ID, f.Name, st.UIDValidity, live); err != nil {
		return rep, err
	}
	s.opts.Log.Info("folder synced", "account", a.Name, "folder", f.Name, "new", rep.New, "known", rep.Known,
		"gone", rep.Gone, "flags_in", rep.FlagsIn, "flags_out", rep.FlagsOut, "uidvalidity_changed", rep.Remapped)
	return rep, s.stampFlagCheck(ctx, a.ID, f.Name)
}

// flagCheckEvery bounds how long a local flag change can wait for a sync
// that finds nothing new on the server.
const flagCheckEvery = 10 * time.Minute

// stampFlagCheck records in the folder's cursor that local flags were just
// compared with the server's.
func (s *Syncer) stampFlagCheck(ctx context.Context, accountID, folder string) error {
	return s.st.Tx(ctx, func(tx *sql.Tx) error {
		c, err := s.st.CursorTx(ctx, tx, accountID, scope(folder))
		if err != nil {
			return err
		}
		cur := parseCursor(c)
		cur.FlagCheck = s.opts.Now().Unix()
		return s.st.SetCursorTx(ctx, tx, accountID, scope(folder), cur.String())
	})
}

// stampLocal records the account's local read state in every folder's
// cursor once a whole sync is done, so the next sync can tell whether the
// owner changed anything.
func (s *Syncer) stampLocal(ctx context.Context, accountID string, folders []email.Folder) error {
	fp, err := s.st.ReadFingerprint(ctx, accountID)
	if err != nil {
		return err
	}
	return s.st.Tx(ctx, func(tx *sql.Tx) error {
		for _, f := range folders {
			c, err := s.st.CursorTx(ctx, tx, accountID, scope(f.Name))
			if err != nil || c == "" {
				continue
			}
			cur := parseCursor(c)
			cur.Local = fp
			if err := s.st.SetCursorTx(ctx, tx, accountID, scope(f.Name), cur.String()); err != nil {
				return err
			}
		}
		return nil
	})
}

// rematch recognises, after a UIDVALIDITY change, the messages already
// stored under the old UIDs by Message-ID and exact size, and records their
// new locations without downloading them; it returns the UIDs still to
// fetch (new messages, and any it could not tell apart, which the content
// hash sorts out). The old locations are retired when the folder completes.
func (s *Syncer) rematch(ctx context.Context, sess *email.Session, a inbox.Account, f email.Folder, next cursor, missing []uint32, rep *FolderReport) ([]uint32, error) {
	var rest []uint32
	for i := 0; i < len(missing); i += 1000 {
		chunk := missing[i:min(i+1000, len(missing))]
		metas, err := sess.Identities(ctx, chunk)
		if err != nil {
			return nil, err
		}
		found := map[uint32]bool{}
		err = s.st.Tx(ctx, func(tx *sql.Tx) error {
			for _, m := range metas {
				seq, ok, err := s.st.RemapCandidateTx(ctx, tx, a.ID, f.Name, next.UIDValidity, m.MessageID, m.Size)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				if err := s.st.AddLocationTx(ctx, tx, store.Location{AccountID: a.ID, Folder: f.Name, UIDValidity: next.UIDValidity,
					UID: m.UID, Seq: seq, Flags: m.Flags, ModSeq: m.ModSeq}); err != nil {
					return err
				}
				found[m.UID] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		rep.Matched += len(found)
		for _, u := range chunk {
			if !found[u] {
				rest = append(rest, u)
			}
		}
	}
	return rest, nil
}

// fetchNew downloads and stores the missing messages in a pipeline: the
// network collects the next batches while this goroutine parses (and
// compresses) one on every core and a writer stores the one before, one
// transaction per batch, in order.
//
// The batches are cut as the download runs (planner), from the sizes in
// known and the sizes fetched a window ahead. Messages larger than limit
// (when not 0) are left out and returned, newest first.
//
// located maps UIDs already stored from their header to their rows: their
// bodies complete those rows. The last batch completes the folder's cursor
// when no message was left out.
func (s *Syncer) fetchNew(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder, missing, suspects []uint32,
	located map[uint32]int64, known map[uint32]int64, limit int64, next cursor, rep *FolderReport) ([]uint32, error) {
	// Suspects of a connection that died last time go first, one by one:
	// the one that kills the connection again is refused for a day.
	isSuspect := map[uint32]bool{}
	for _, u := range suspects {
		isSuspect[u] = true
	}
	for i, u := range suspects {
		err := sess.Fetch(ctx, [][]uint32{{u}}, func(got []email.Fetched) error {
			return s.storeBatch(ctx, a, cfg, f, next, got, s.parseAll(got), located, false, rep)
		})
		if connectionDied(ctx, err) {
			next.Suspect = suspects[i:]
			if slices.Contains(next.Struck, u) {
				if next.Refused == nil {
					next.Refused = map[uint32]int64{}
				}
				next.Refused[u] = s.opts.Now().Unix()
				next.Suspect = suspects[i+1:]
				s.opts.Log.Warn("the server cannot serve a message; skipped for a day", "account", a.Name, "folder", f.Name, "uid", u)
			} else {
				next.Struck = append(next.Struck, u)
			}
			s.saveCursor(ctx, a, f, next)
			return nil, err
		}
		if err != nil {
			return nil, err
		}
	}
	var rest []uint32
	for _, u := range missing {
		if !isSuspect[u] {
			rest = append(rest, u)
		}
	}
	if len(rest) == 0 {
		next.Complete = true
		return nil, s.saveCursor(ctx, a, f, next)
	}
	missing = rest
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	plan := newPlanner(sess, missing, known, next.NoSizes, s.opts.BatchMessages, s.opts.BatchBytes, limit)
	if s.opts.Log.Enabled(ctx, slog.LevelDebug) {
		plan.log = s.opts.Log
	}
	planStart := time.Now()
	go plan.run(ctx)
	if len(missing) > s.opts.BatchMessages {
		defer s.st.BackgroundCheckpoint(ctx, 500*time.Millisecond, lowerThreadPriority)()
		defer s.st.DeferFTSMerge(ctx)() // one index merge after the sync, not one per batch
	}
	type prepared struct {
		got    []email.Fetched
		parsed []*email.Parsed
		last   bool
	}
	forget := func(p prepared) {
		for _, g := range p.got {
			store.ForgetPrecompressed(g.Raw)
		}
	}
	ready := make(chan prepared, 1)
	written := make(chan error, 1)
	var stats pipeStats
	trace := s.opts.Log.Enabled(ctx, slog.LevelDebug)
	go func() {
		if trace {
			defer lockWriterThread()()
		}
		var err error
		for t0 := time.Now(); ; t0 = time.Now() {
			p, ok := <-ready
			if !ok {
				break
			}
			t1, c1 := time.Now(), threadCPU()
			stats.writerIdle += t1.Sub(t0)
			if stats.batches == 0 {
				stats.firstWait = t1.Sub(t0)
			} else if trace && t1.Sub(t0) > 50*time.Millisecond {
				s.opts.Log.Debug("writer waited", "folder", f.Name, "batch", stats.batches, "for", t1.Sub(t0))
			}
			if err == nil {
				if err = s.storeBatch(ctx, a, cfg, f, next, p.got, p.parsed, located, p.last, rep); err != nil {
					cancel()
				}
			}
			forget(p) // what was not stored
			stats.writerBusy += time.Since(t1)
			stats.writerCPU += threadCPU() - c1
			stats.batches++
			stats.messages += len(p.got)
		}
		written <- err
	}()
	done := 0
	first := true
	ferr := sess.FetchFrom(ctx, func() ([]uint32, error) {
		b, err := plan.next(ctx)
		if first {
			first = false
			s.opts.Log.Debug("planned", "folder", f.Name, "messages", len(missing), "first_batch", len(b), "took", time.Since(planStart))
		}
		return b, err
	}, func(got []email.Fetched) error {
		done++
		t0 := time.Now()
		// The last batch completes the cursor, unless large messages wait.
		p := prepared{got: got, parsed: s.parseAll(got), last: plan.handedOut(done) && len(plan.diverted()) == 0}
		t1 := time.Now()
		stats.parse += t1.Sub(t0)
		defer func() { stats.fetchBlocked += time.Since(t1) }()
		select {
		case ready <- p:
			return nil
		case <-ctx.Done():
			forget(p)
			return ctx.Err()
		}
	})
	close(ready)
	werr := <-written
	died := connectionDied(ctx, ferr)
	if ferr != nil || werr != nil {
		cancel() // the planner may be waiting for batches to run low
	}
	<-plan.done
	s.opts.Log.Debug("pipeline", append([]any{"folder", f.Name}, stats.logArgs()...)...)
	if werr != nil {
		return nil, werr
	}
	if died {
		// Remember the batches that were on the wire: the next sync takes
		// them one at a time. If sizes were being fetched too, that may be
		// what the server cannot do: the next sync cuts batches by count.
		next.NoSizes = plan.sizesDied()
		for _, b := range plan.onWire(done) {
			next.Suspect = append(next.Suspect, b...)
		}
		s.saveCursor(context.WithoutCancel(ctx), a, f, next)
	}
	if ferr != nil {
		return nil, ferr
	}
	return plan.diverted(), nil
}

// fetchWindow is how many batches can be on the wire when a connection
// dies (the session keeps two UID FETCHes in flight).
const fetchWindow = 2

// refuseFor is how long (seconds) a message the server cannot serve is
// skipped before it is tried again.
const refuseFor = 24 * 3600

// connectionDied reports whether err is the connection failing (not the
// caller giving up, not the server refusing a command).
func connectionDied(ctx context.Context, err error) bool {
	var e *email.Error
	return err != nil && ctx.Err() == nil && errors.As(err, &e) && (e.Kind == email.KindNetwork || e.Kind == email.KindTimeout)
}

// saveCursor writes a folder's cursor on its own (after a failure).
func (s *Syncer) saveCursor(ctx context.Context, a inbox.Account, f email.Folder, c cursor) error {
	return s.st.Tx(ctx, func(tx *sql.Tx) error { return s.st.SetCursorTx(ctx, tx, a.ID, scope(f.Name), c.String()) })
}
