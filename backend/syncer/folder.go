package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// syncFolder brings one folder up to date: expunges by UID diff, flags both
// ways, then new messages newest first in bounded, pipelined batches, each
// batch one transaction with the folder's cursor.
func (s *Syncer) syncFolder(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder) (FolderReport, error) {
	rep := FolderReport{Folder: f.Name}
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
	live, err := s.st.LiveLocations(ctx, a.ID, f.Name, st.UIDValidity)
	if err != nil {
		return rep, err
	}
	// Nothing changed on the server: only local flag changes to send.
	if sameV && cur.Complete && st.CondStore && cur.HighestModSeq == st.HighestModSeq && cur.UIDNext == st.UIDNext && len(live) == int(st.Messages) {
		rep.NothingToDo = true
		rep.FlagsOut, err = s.pushFlags(ctx, sess, a.ID, f.Name, st.UIDValidity, live)
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
		if metas, err = sess.Metas(ctx, nil, since); err != nil {
			return rep, err
		}
	}
	var missing []uint32
	for _, u := range uids {
		if _, ok := live[u]; !ok {
			missing = append(missing, u)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] > missing[j] }) // newest first

	next := cursor{UIDValidity: st.UIDValidity, UIDNext: st.UIDNext, HighestModSeq: st.HighestModSeq}
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
		if len(missing) > 0 {
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
	if len(missing) > 0 {
		if err := s.fetchNew(ctx, sess, a, cfg, f, missing, next, &rep); err != nil {
			return rep, err
		}
	}
	live, err = s.st.LiveLocations(ctx, a.ID, f.Name, st.UIDValidity)
	if err != nil {
		return rep, err
	}
	rep.FlagsOut, err = s.pushFlags(ctx, sess, a.ID, f.Name, st.UIDValidity, live)
	s.opts.Log.Info("folder synced", "account", a.Name, "folder", f.Name, "new", rep.New, "known", rep.Known,
		"gone", rep.Gone, "flags_in", rep.FlagsIn, "flags_out", rep.FlagsOut, "uidvalidity_changed", rep.Remapped)
	return rep, err
}

// plan cuts the missing UIDs (newest first) into batches bounded by count
// and bytes, using the sizes the server reports.
func (s *Syncer) plan(ctx context.Context, sess *email.Session, missing []uint32) ([][]uint32, error) {
	if len(missing) <= s.opts.BatchMessages {
		return [][]uint32{missing}, nil
	}
	metas, err := sess.Metas(ctx, missing, 0)
	if err != nil {
		return nil, err
	}
	size := make(map[uint32]int64, len(metas))
	for _, m := range metas {
		size[m.UID] = m.Size
	}
	var out [][]uint32
	var cur []uint32
	var bytes int64
	for _, u := range missing {
		if len(cur) > 0 && (len(cur) >= s.opts.BatchMessages || bytes+size[u] > s.opts.BatchBytes) {
			out = append(out, cur)
			cur, bytes = nil, 0
		}
		cur = append(cur, u)
		bytes += size[u]
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// fetchNew downloads and stores the missing messages.
func (s *Syncer) fetchNew(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder, missing []uint32, next cursor, rep *FolderReport) error {
	batches, err := s.plan(ctx, sess, missing)
	if err != nil {
		return err
	}
	own := cfg.Own()
	done := 0
	return sess.Fetch(ctx, batches, func(got []email.Fetched) error {
		done++
		parsed := s.parseAll(got)
		err := s.st.Tx(ctx, func(tx *sql.Tx) error {
			for i, g := range got {
				if g.Raw == nil {
					continue // no body in the reply: fetched again next time
				}
				p := parsed[i]
				p.Message.ReceivedAt = g.InternalDate.UTC()
				p.Message.Read = email.HasFlag(g.Flags, email.FlagSeen)
				p.Message.Flagged = email.HasFlag(g.Flags, email.FlagFlagged)
				res, err := s.th.IngestTx(ctx, tx, threader.Input{Account: &a, Own: own, Sent: f.Role == email.RoleSent,
					Message: p.Message, Warnings: p.Warnings})
				if err != nil {
					return fmt.Errorf("syncer: store UID %d: %w", g.UID, err)
				}
				if res.Created {
					rep.New++
					if email.HasFlag(g.Flags, email.FlagAnswered) {
						if err := s.st.SetMessageFlagsTx(ctx, tx, res.Seq, p.Message.Read, p.Message.Flagged, true); err != nil {
							return err
						}
					}
				} else {
					rep.Known++
				}
				if err := s.st.PutLocationTx(ctx, tx, store.Location{AccountID: a.ID, Folder: f.Name, UIDValidity: next.UIDValidity,
					UID: g.UID, Seq: res.Seq, Flags: g.Flags, ModSeq: g.ModSeq}); err != nil {
					return err
				}
			}
			c := next
			c.Complete = done == len(batches)
			if c.Complete {
				if _, err := s.st.RetireUIDValidityTx(ctx, tx, a.ID, f.Name, c.UIDValidity); err != nil {
					return err
				}
			}
			return s.st.SetCursorTx(ctx, tx, a.ID, scope(f.Name), c.String())
		})
		if err != nil {
			return err
		}
		s.changed(a.ID)
		return nil
	})
}

// parseAll parses a batch on every core.
func (s *Syncer) parseAll(got []email.Fetched) []*email.Parsed {
	out := make([]*email.Parsed, len(got))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < s.opts.Parsers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if got[i].Raw != nil {
					out[i] = email.Parse(got[i].Raw)
				}
			}
		}()
	}
	for i := range got {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
