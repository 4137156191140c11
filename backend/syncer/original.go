package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// FetchOriginal makes a message's stored original whole: one listed from
// its header gets its body, one whose large attachments were left on the
// server (attachments.prefetch_max_bytes) gets them, so an export holds the
// message as the server has it. The whole message is downloaded
// (BODY.PEEK[], RFC 9051 section 6.4.5, so nothing is marked read) from the
// first folder that still has it. A message already whole is left as it
// is. Errors are FetchAttachment's: unreachable server, or
// inbox.ErrNotFound when no server copy is left.
func (s *Syncer) FetchOriginal(ctx context.Context, messageID string) error {
	src, err := s.st.OriginalSourceOf(ctx, messageID)
	if err != nil {
		return err
	}
	return s.fetchOriginal(ctx, src, fmt.Sprintf("the whole of %q", src.Subject))
}

// FetchOriginals is FetchOriginal for many messages (an export), with one
// connection per account. It returns why each message it could not make
// whole is still incomplete; ctx ending stops it. progress, when not nil,
// is told how many of the messages have been dealt with.
func (s *Syncer) FetchOriginals(ctx context.Context, messageIDs []string, progress func(done, total int)) map[string]error {
	failed := map[string]error{}
	done, total := 0, len(messageIDs)
	step := func(n int) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	byAccount := map[string][]store.OriginalSource{}
	var order []string
	for _, id := range messageIDs {
		src, err := s.st.OriginalSourceOf(ctx, id)
		switch {
		case err != nil:
			failed[id] = err
		case src.State == store.BodyComplete:
		case src.AccountID == "" || len(src.Locations) == 0:
			failed[id] = s.unreachable(src, fmt.Sprintf("the whole of %q", src.Subject))
		default:
			if byAccount[src.AccountID] == nil {
				order = append(order, src.AccountID)
			}
			byAccount[src.AccountID] = append(byAccount[src.AccountID], src)
		}
	}
	step(total - countOf(byAccount)) // whole already, or unreachable
	for _, acc := range order {
		srcs := byAccount[acc]
		sess, a, cfg, err := s.connectFor(ctx, acc, fmt.Sprintf("%d incomplete messages", len(srcs)))
		for _, src := range srcs {
			switch {
			case err != nil:
				failed[src.MessageID] = err
			case ctx.Err() != nil:
				failed[src.MessageID] = ctx.Err()
			default:
				if ferr := s.fetchOriginalWith(ctx, sess, a, cfg, src, fmt.Sprintf("the whole of %q", src.Subject)); ferr != nil {
					failed[src.MessageID] = ferr
				}
			}
			step(1)
		}
		if sess != nil {
			sess.Close()
		}
	}
	return failed
}

// countOf is how many sources a map of them holds.
func countOf(m map[string][]store.OriginalSource) int {
	n := 0
	for _, l := range m {
		n += len(l)
	}
	return n
}

// fetchOriginal is FetchOriginal for a message already looked up; what
// names what is being downloaded, for errors.
func (s *Syncer) fetchOriginal(ctx context.Context, src store.OriginalSource, what string) error {
	if src.State == store.BodyComplete {
		return nil
	}
	if src.AccountID == "" || len(src.Locations) == 0 {
		return s.unreachable(src, what)
	}
	sess, a, cfg, err := s.connectFor(ctx, src.AccountID, what)
	if err != nil {
		return err
	}
	defer sess.Close()
	return s.fetchOriginalWith(ctx, sess, a, cfg, src, what)
}

// unreachable says why a message with no account or no live location
// cannot be made whole.
func (s *Syncer) unreachable(src store.OriginalSource, what string) error {
	if src.AccountID == "" {
		return fmt.Errorf("syncer: %s cannot be downloaded: the message belongs to no account: %w", what, inbox.ErrNotAvailable)
	}
	return fmt.Errorf("syncer: %s was never downloaded and its message is no longer on the server: %w", what, inbox.ErrNotFound)
}

// fetchOriginalWith downloads a message whole over sess and stores it.
func (s *Syncer) fetchOriginalWith(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, src store.OriginalSource, what string) error {
	for _, l := range src.Locations {
		st, err := sess.Select(ctx, l.Folder)
		if err != nil || st.UIDValidity != l.UIDValidity {
			continue // the folder is gone or renumbered: try the next copy
		}
		var got []email.Fetched
		err = sess.Fetch(ctx, [][]uint32{{l.UID}}, func(b []email.Fetched) error {
			got = b
			return nil
		})
		if err != nil {
			return fmt.Errorf("syncer: cannot download %s: %w", what, err)
		}
		if len(got) == 0 || got[0].Raw == nil {
			continue // expunged since the last sync
		}
		p := email.Parse(got[0].Raw)
		err = s.st.Tx(ctx, func(tx *sql.Tx) error {
			if src.State == store.BodyPartial {
				_, err := s.st.CompleteOriginalTx(ctx, tx, src.Seq, p.Message)
				return err
			}
			p.Message.ReceivedAt = got[0].InternalDate.UTC()
			res, err := s.th.CompleteTx(ctx, tx, src.Seq, threader.Input{Account: &a, Own: cfg.Own(), Message: p.Message, Warnings: p.Warnings})
			if err != nil || res.Seq == src.Seq {
				return err
			}
			l.Seq = res.Seq // its body shows another message than its header did
			return s.st.MoveLocationTx(ctx, tx, l)
		})
		if err != nil {
			return err
		}
		s.changed(a.ID)
		return nil
	}
	return fmt.Errorf("syncer: %s was never downloaded and the server no longer has its message: %w", what, inbox.ErrNotFound)
}

// connectFor signs in to an account's server to download what; an
// unreachable server is said so.
func (s *Syncer) connectFor(ctx context.Context, accountID, what string) (*email.Session, inbox.Account, email.Config, error) {
	a, err := s.st.Account(ctx, accountID)
	if err != nil {
		return nil, a, email.Config{}, err
	}
	sess, cfg, err := s.Connect(ctx, a)
	if err != nil {
		var e *email.Error
		if errors.As(err, &e) && (e.Kind == email.KindNetwork || e.Kind == email.KindRefused || e.Kind == email.KindTimeout || e.Kind == email.KindNotFound) {
			return nil, a, cfg, fmt.Errorf("syncer: cannot download %s now: the mail server of %s cannot be reached (offline?): %w", what, a.Name, err)
		}
		return nil, a, cfg, fmt.Errorf("syncer: cannot download %s: %w", what, err)
	}
	return sess, a, cfg, nil
}
