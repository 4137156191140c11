package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// PrefetchSetting is the store setting that limits, in bytes, which
// attachments a sync downloads ahead; larger ones are listed (name, size,
// type) and fetched on demand (FetchAttachment). Absent or 0: no limit.
const PrefetchSetting = "attachments.prefetch_max_bytes"

// prefetchLimit reads PrefetchSetting; anything unreadable is no limit.
func (s *Syncer) prefetchLimit(ctx context.Context) int64 {
	v, err := s.st.Setting(ctx, PrefetchSetting)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// bodies brings a folder's new messages in, newest first: on a large sync
// the newest HeadersFirst are listed from their header alone at once; then
// every body (those listed now or by an earlier, interrupted sync, and the
// rest of the new messages) is downloaded in the pipelined batches of
// fetchNew; messages with an attachment above the prefetch limit come last,
// without that attachment.
func (s *Syncer) bodies(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder,
	missing, pending []uint32, located map[uint32]int64, suspects []uint32, next cursor, rep *FolderReport) error {
	known := map[uint32]int64{} // sizes: the first batches are cut from these at once
	if s.opts.HeadersFirst > 0 && !next.NoHeads && len(missing) > s.opts.BatchMessages {
		n := min(len(missing), s.opts.HeadersFirst)
		whole, err := s.listHeads(ctx, sess, a, cfg, f, next, missing[:n], known, rep)
		if err != nil {
			if connectionDied(ctx, err) {
				// A message the server cannot read (Dovecot drops the
				// connection): next time without this pass and without
				// sizes, so fetchNew's suspects find it.
				next.NoHeads, next.NoSizes = true, true
				s.saveCursor(context.WithoutCancel(ctx), a, f, next)
			}
			return err
		}
		missing = append(whole, missing[n:]...)
		if pending, located, err = s.st.PendingBodies(ctx, a.ID, f.Name, next.UIDValidity); err != nil {
			return err
		}
	}
	want := append(slices.Clone(pending), missing...)
	slices.SortFunc(want, func(x, y uint32) int { return int(int64(y) - int64(x)) }) // newest first
	// Messages above the prefetch limit are set apart by the planner, as
	// their sizes come, and downloaded last.
	limit := s.prefetchLimit(ctx)
	large, err := s.fetchNew(ctx, sess, a, cfg, f, want, suspects, located, known, limit, next, rep)
	if err != nil {
		return err
	}
	return s.fetchLarge(ctx, sess, a, cfg, f, large, limit, located, next, rep)
}

// headChunks are the sizes of the header-only fetches: a small first one so
// the top of the list shows soonest.
var headChunks = []int{250, 500}

// listHeads stores messages from their header and structure alone (body
// pending), with their locations and the folder's cursor (not complete)
// in each chunk's transaction. It returns the UIDs whose header matched a
// message stored whole: only their bodies can tell whether they are that
// message, so they are left to the body pass. It records each message's
// size in sizes.
func (s *Syncer) listHeads(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder, next cursor, uids []uint32,
	sizes map[uint32]int64, rep *FolderReport) ([]uint32, error) {
	own := cfg.Own()
	var chunks [][]uint32
	for i, k := 0, 0; i < len(uids); k++ {
		chunk := uids[i:min(i+headChunks[min(k, len(headChunks)-1)], len(uids))]
		i += len(chunk)
		chunks = append(chunks, chunk)
	}
	// The next chunk's headers download while this one is stored.
	type fetched struct {
		heads []email.Head
		err   error
	}
	fetch := func(chunk []uint32) chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			h, err := sess.Heads(ctx, chunk)
			ch <- fetched{h, err}
		}()
		return ch
	}
	var ahead chan fetched
	defer func() {
		if ahead != nil {
			<-ahead // no command left running on the session
		}
	}()
	var whole []uint32
	for k := range chunks {
		if ahead == nil {
			ahead = fetch(chunks[k])
		}
		got := <-ahead
		ahead = nil
		if got.err != nil {
			return whole, got.err
		}
		if k+1 < len(chunks) {
			ahead = fetch(chunks[k+1])
		}
		heads := got.heads
		for _, h := range heads {
			sizes[h.UID] = h.Size
		}
		neu := 0
		var chunkWhole []uint32
		err := s.st.BulkTx(ctx, func(tx *sql.Tx) error {
			ctx, flush := s.st.DeferRefresh(ctx)
			neu, chunkWhole = 0, nil
			for _, h := range heads {
				p := email.ParseHead(h)
				p.Message.ReceivedAt = h.InternalDate.UTC()
				p.Message.Read = email.HasFlag(h.Flags, email.FlagSeen)
				p.Message.Flagged = email.HasFlag(h.Flags, email.FlagFlagged)
				res, err := s.th.IngestTx(ctx, tx, threader.Input{Account: &a, Own: own, Sent: f.Role == email.RoleSent, Message: p.Message, Warnings: p.Warnings})
				if err != nil {
					return fmt.Errorf("syncer: list UID %d: %w", h.UID, err)
				}
				if res.StoredWhole {
					chunkWhole = append(chunkWhole, h.UID)
					continue
				}
				if res.Created {
					neu++
					if email.HasFlag(h.Flags, email.FlagAnswered) {
						if err := s.st.SetMessageFlagsTx(ctx, tx, res.Seq, p.Message.Read, p.Message.Flagged, true); err != nil {
							return err
						}
					}
				}
				if err := s.st.AddLocationTx(ctx, tx, store.Location{AccountID: a.ID, Folder: f.Name, UIDValidity: next.UIDValidity,
					UID: h.UID, Seq: res.Seq, Flags: h.Flags, ModSeq: h.ModSeq}); err != nil {
					return err
				}
			}
			if err := flush(ctx, tx); err != nil {
				return err
			}
			return s.st.SetCursorTx(ctx, tx, a.ID, scope(f.Name), next.String())
		})
		if err != nil {
			return whole, err
		}
		whole = append(whole, chunkWhole...)
		rep.New += neu
		rep.Listed += neu
		s.changed(a.ID)
	}
	return whole, nil
}

// fetchLarge downloads messages larger than the prefetch limit one at a
// time: a message whose structure shows attachments above the limit comes
// without their bodies (listed, fetched = 0), any other whole. The last one
// completes the folder's cursor.
func (s *Syncer) fetchLarge(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, f email.Folder, uids []uint32, limit int64,
	located map[uint32]int64, next cursor, rep *FolderReport) error {
	completed := false
	for i := 0; i < len(uids); i += 100 {
		heads, err := sess.Heads(ctx, uids[i:min(i+100, len(uids))])
		if err != nil {
			return err
		}
		for k, h := range heads {
			last := i+100 >= len(uids) && k == len(heads)-1
			skip := email.LargeParts(h.Structure, limit)
			var got []email.Fetched
			var parsed []*email.Parsed
			if len(skip) == 0 {
				err = sess.Fetch(ctx, [][]uint32{{h.UID}}, func(b []email.Fetched) error {
					got, parsed = b, s.parseAll(b)
					return nil
				})
			} else {
				var g email.Fetched
				if g, err = sess.FetchPartial(ctx, h, skip); err == nil {
					p := email.Parse(g.Raw)
					email.LeaveOnServer(p, h, skip)
					got, parsed = []email.Fetched{g}, []*email.Parsed{p}
				}
			}
			if err != nil {
				return err
			}
			if err := s.storeBatch(ctx, a, cfg, f, next, got, parsed, located, last, rep); err != nil {
				return err
			}
			completed = completed || last
		}
	}
	if len(uids) > 0 && !completed { // the last ones left the server meanwhile
		next.Complete = true
		return s.saveCursor(ctx, a, f, next)
	}
	return nil
}
