package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// RunOptions tune Run. A nil *RunOptions means defaults.
type RunOptions struct {
	// Poll is how often every folder and the outbox are synced, and how
	// often the inbox is checked when the server has no IDLE (default 2 min).
	Poll time.Duration
	// IdleMax caps one IDLE (default 25 min, under the 30 the RFC allows).
	IdleMax time.Duration
	// OnSync receives each sync's report or error.
	OnSync func(Report, error)
}

// Run keeps an account in sync until ctx ends: a full sync, then IDLE on the
// inbox (or polling), syncing the inbox as soon as the server reports new
// mail, everything every Poll. Connection failures are retried with
// backoff from 5 s to 5 min; a panic is recovered and counted as a failure.
func (s *Syncer) Run(ctx context.Context, a inbox.Account, opts *RunOptions) error {
	if a.Demo() {
		return errDemo(a)
	}
	o := RunOptions{Poll: 2 * time.Minute, IdleMax: 25 * time.Minute}
	if opts != nil {
		if opts.Poll > 0 {
			o.Poll = opts.Poll
		}
		if opts.IdleMax > 0 {
			o.IdleMax = opts.IdleMax
		}
		o.OnSync = opts.OnSync
	}
	wait := 5 * time.Second
	for ctx.Err() == nil {
		err := s.session(ctx, a, o)
		if ctx.Err() != nil {
			return nil
		}
		s.opts.Log.Warn("sync loop: will retry", "account", a.Name, "in", wait, "error", err)
		s.st.SetAccountSync(context.WithoutCancel(ctx), a.ID, err.Error())
		if !email.IsTemporary(err) {
			wait = 5 * time.Minute // bad password or settings: do not hammer
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Minute)
	}
	return nil
}

// session is one connection's life: sync, idle, sync, ... until an error.
func (s *Syncer) session(ctx context.Context, a inbox.Account, o RunOptions) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("syncer: panic: %v", r)
		}
	}()
	sess, cfg, err := s.Connect(ctx, a)
	if err != nil {
		return err
	}
	defer sess.Close()
	folders, err := s.folders(ctx, sess, cfg)
	if err != nil {
		return err
	}
	full := func() error {
		start := time.Now()
		rep := Report{Account: a.Name}
		var err error
		for _, f := range folders {
			var fr FolderReport
			fr, err = s.syncFolder(ctx, sess, a, cfg, f)
			rep.Folders = append(rep.Folders, fr)
			if err != nil {
				break
			}
		}
		if err == nil {
			rep.Sent, rep.Failed, err = s.SendOutbox(ctx, sess, a, cfg, folders)
		}
		if err == nil {
			err = s.stampLocal(ctx, a.ID, folders)
		}
		rep.Duration = time.Since(start)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		s.st.SetAccountSync(context.WithoutCancel(ctx), a.ID, msg)
		if o.OnSync != nil {
			o.OnSync(rep, err)
		}
		return err
	}
	if err := full(); err != nil {
		return err
	}
	inbox := folders[0] // PickFolders puts the inbox first
	lastFull := time.Now()
	for ctx.Err() == nil {
		if time.Since(lastFull) >= o.Poll {
			if err := full(); err != nil {
				return err
			}
			lastFull = time.Now()
		}
		if _, err := sess.Select(ctx, inbox.Name); err != nil {
			return err
		}
		changed, err := sess.Idle(ctx, min(o.IdleMax, o.Poll-time.Since(lastFull)))
		if errors.Is(err, email.ErrNoIdle) {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(min(o.Poll, 30*time.Second)):
			}
			changed, err = true, nil
		}
		if err != nil {
			return err
		}
		if changed {
			start := time.Now()
			fr, err := s.syncFolder(ctx, sess, a, cfg, inbox)
			if o.OnSync != nil {
				o.OnSync(Report{Account: a.Name, Folders: []FolderReport{fr}, Duration: time.Since(start)}, err)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
