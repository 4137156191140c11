package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// storeBatch stores one fetched batch with the folder's cursor in one
// transaction.
func (s *Syncer) storeBatch(ctx context.Context, a inbox.Account, cfg email.Config, f email.Folder, next cursor, got []email.Fetched,
	parsed []*email.Parsed, located map[uint32]int64, last bool, rep *FolderReport) error {
	own := cfg.Own()
	var neu, known, bodies int
	err := s.st.BulkTx(ctx, func(tx *sql.Tx) error {
		ctx, flush := s.st.DeferRefresh(ctx) // one recount per conversation per batch
		neu, known, bodies = 0, 0, 0
		for i, g := range got {
			if g.Raw == nil {
				if g.Err != "" {
					s.opts.Log.Warn("the server refused a message; retried next sync", "account", a.Name, "folder", f.Name, "uid", g.UID, "reason", g.Err)
				}
				continue // no body in the reply: fetched again next time
			}
			p := parsed[i]
			p.Message.ReceivedAt = g.InternalDate.UTC()
			p.Message.Read = email.HasFlag(g.Flags, email.FlagSeen)
			p.Message.Flagged = email.HasFlag(g.Flags, email.FlagFlagged)
			in := threader.Input{Account: &a, Own: own, Sent: f.Role == email.RoleSent, Message: p.Message, Warnings: p.Warnings}
			if seq, ok := located[g.UID]; ok {
				// Listed from its header earlier: its body completes it.
				res, err := s.th.CompleteTx(ctx, tx, seq, in)
				if err != nil {
					return fmt.Errorf("syncer: store UID %d: %w", g.UID, err)
				}
				if res.Completed {
					bodies++
				}
				if res.Seq != seq {
					// Its body shows another message than its header did.
					if res.Created {
						neu++
					}
					if err := s.st.MoveLocationTx(ctx, tx, store.Location{AccountID: a.ID, Folder: f.Name, UIDValidity: next.UIDValidity,
						UID: g.UID, Seq: res.Seq, Flags: g.Flags, ModSeq: g.ModSeq}); err != nil {
						return err
					}
				}
				continue
			}
			res, err := s.th.IngestTx(ctx, tx, in)
			if err != nil {
				return fmt.Errorf("syncer: store UID %d: %w", g.UID, err)
			}
			if res.Completed {
				bodies++
			}
			if res.Created {
				neu++
				if email.HasFlag(g.Flags, email.FlagAnswered) {
					if err := s.st.SetMessageFlagsTx(ctx, tx, res.Seq, p.Message.Read, p.Message.Flagged, true); err != nil {
						return err
					}
				}
			} else {
				known++
			}
			if err := s.st.AddLocationTx(ctx, tx, store.Location{AccountID: a.ID, Folder: f.Name, UIDValidity: next.UIDValidity,
				UID: g.UID, Seq: res.Seq, Flags: g.Flags, ModSeq: g.ModSeq}); err != nil {
				return err
			}
		}
		if err := flush(ctx, tx); err != nil {
			return err
		}
		c := next
		c.Complete = last
		if c.Complete {
			c.NoHeads = false
			if _, err := s.st.RetireUIDValidityTx(ctx, tx, a.ID, f.Name, c.UIDValidity); err != nil {
				return err
			}
		}
		return s.st.SetCursorTx(ctx, tx, a.ID, scope(f.Name), c.String())
	})
	if err != nil {
		return err
	}
	rep.New += neu
	rep.Known += known
	rep.Bodies += bodies
	s.changed(a.ID)
	return nil
}

// parseAll parses and compresses a batch on every core.
func (s *Syncer) parseAll(got []email.Fetched) []*email.Parsed {
	out := make([]*email.Parsed, len(got))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < s.opts.Parsers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lowerThreadPriority() // the writer's core comes first
			for i := range next {
				if got[i].Raw != nil {
					out[i] = email.ParseLean(got[i].Raw) // attachments stay in the original
					store.Precompress(got[i].Raw)        // off the writer's core
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
