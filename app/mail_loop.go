package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// run supervises one account until ctx ends or a permanent failure stops
// it: a session (connect, sync, IDLE, sync, ...) until it fails, then a
// wait that doubles from MinBackoff to MaxBackoff. Retry or SyncNow cut a
// wait short.
func (m *Mail) run(ctx context.Context, l *mailLoop) {
	if mark, err := m.ws.Store.MaxMessageSeq(ctx); err == nil {
		l.mark.Store(mark)
	}
	wait := m.opts.MinBackoff
	for ctx.Err() == nil {
		healthy := false
		err := m.session(ctx, l, &healthy)
		if ctx.Err() != nil {
			return
		}
		if healthy {
			wait = m.opts.MinBackoff
		}
		f := classify(err)
		m.log.Warn("app: mail sync failed", "account", l.acct.Name, "state", f.state, "stop", f.stop, "err", err)
		if f.stop {
			m.ws.Store.SetAccountSync(context.WithoutCancel(ctx), l.acct.ID, f.msg)
			m.update(l.acct.ID, func(st *AccountStatus) {
				st.State, st.Error, st.Hint, st.Retrying = MailError, f.msg, f.hint, false
			})
			return
		}
		m.update(l.acct.ID, func(st *AccountStatus) {
			st.State, st.Error, st.Retrying = f.state, f.msg, true
			st.Hint = fmt.Sprintf("%sretrying in %s", f.hint, wait.Round(time.Second/10))
		})
		select {
		case <-ctx.Done():
			return
		case <-l.kick:
			wait = m.opts.MinBackoff
			continue
		case <-time.After(wait):
		}
		wait = min(wait*2, m.opts.MaxBackoff)
	}
}

// session is one connection's life. A watcher connection lists the folders,
// counts their messages for the progress and waits in IDLE on the inbox;
// each sync (at start, on news, on SyncNow, every Poll) is the syncer's
// SyncAccount, which records its outcome on the account. It returns only
// with an error (nil when ctx ended); healthy says a sync succeeded.
func (m *Mail) session(ctx context.Context, l *mailLoop, healthy *bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("app: mail sync of %q panicked: %v", l.acct.Name, r)
		}
	}()
	l.attempts.Add(1)
	if c, err := email.ParseConfig(l.acct.Config); err != nil || c.IMAPHost == "" {
		return fmt.Errorf("app: account %q has no IMAP server in its settings: %w", l.acct.Name, inbox.ErrInvalid)
	}
	m.update(l.acct.ID, func(st *AccountStatus) { st.State, st.Hint = MailSyncing, "connecting" })
	sess, cfg, err := m.sy.Connect(ctx, l.acct)
	if err != nil {
		return err
	}
	defer sess.Close()
	all, err := sess.Folders(ctx)
	if err != nil {
		return err
	}
	folders := email.PickFolders(all, cfg.Folders)
	if len(folders) == 0 {
		return fmt.Errorf("app: the server of %q lists no INBOX", l.acct.Name)
	}
	syncAll := func() error {
		if err := m.count(ctx, l, sess, folders); err != nil {
			return err
		}
		rep, err := m.sy.SyncAccount(ctx, l.acct)
		if err != nil {
			return err
		}
		m.announce(l, false) // anything not announced batch by batch
		*healthy = true
		now := time.Now().UTC().Format(time.RFC3339)
		m.update(l.acct.ID, func(st *AccountStatus) {
			st.State, st.Done, st.LastSyncAt, st.Error, st.Hint = MailIdle, st.Total, now, "", ""
			st.Warning = strings.Join(rep.Warnings, "; ")
		})
		return nil
	}
	if err := syncAll(); err != nil {
		return err
	}
	inboxName := folders[0].Name // PickFolders puts the inbox first
	lastFull := time.Now()
	for ctx.Err() == nil {
		if _, err := sess.Select(ctx, inboxName); err != nil {
			return err
		}
		news, err := m.wait(ctx, l, sess, max(time.Second, min(m.opts.IdleMax, m.opts.Poll-time.Since(lastFull))))
		if err != nil {
			return err
		}
		if news || time.Since(lastFull) >= m.opts.Poll {
			if err := syncAll(); err != nil {
				return err
			}
			lastFull = time.Now()
		}
	}
	return nil
}

// wait blocks until the server reports news in the selected inbox (IDLE,
// RFC 2177), a poll is due when the server has no IDLE, SyncNow kicks, or
// max passes. It reports whether to sync.
func (m *Mail) wait(ctx context.Context, l *mailLoop, sess *email.Session, max time.Duration) (bool, error) {
	idleCtx, cancel := context.WithCancel(ctx)
	kicked := make(chan bool, 1)
	go func() {
		select {
		case <-l.kick:
			kicked <- true
			cancel()
		case <-idleCtx.Done():
			kicked <- false
		}
	}()
	changed, err := sess.Idle(idleCtx, max)
	cancel()
	wasKicked := <-kicked
	if errors.Is(err, email.ErrNoIdle) {
		if wasKicked {
			return true, nil
		}
		select {
		case <-ctx.Done():
			return false, nil
		case <-l.kick:
		case <-time.After(min(m.opts.NoIdlePoll, max)):
		}
		return true, nil
	}
	if ctx.Err() != nil {
		return false, nil
	}
	if wasKicked && errors.Is(err, context.Canceled) {
		err = nil
	}
	return changed || wasKicked, err
}

// count selects each chosen folder on the watcher connection for the
// server's message count (the progress total) and counts what is stored.
func (m *Mail) count(ctx context.Context, l *mailLoop, sess *email.Session, folders []email.Folder) error {
	total := 0
	counted := make([]countedFolder, 0, len(folders))
	for _, f := range folders {
		st, err := sess.Select(ctx, f.Name)
		if err != nil {
			return err
		}
		total += int(st.Messages)
		counted = append(counted, countedFolder{name: f.Name, uidValidity: st.UIDValidity})
	}
	l.mu.Lock()
	l.counted = counted
	l.mu.Unlock()
	done := m.stored(ctx, l)
	m.update(l.acct.ID, func(st *AccountStatus) {
		st.State, st.Total, st.Done, st.Hint = MailSyncing, total, min(done, total), ""
	})
	return nil
}

// failure is how the status bar shows an error and whether the loop stops.
type failure struct {
	state string
	msg   string
	hint  string
	stop  bool
}

// classify sorts a failure: no network is "offline" and retried; a
// rejected sign-in or bad settings stop the loop until Retry; anything
// else is an error retried with backoff (never give up on mail because of
// a surprise).
func classify(err error) failure {
	var e *email.Error
	if errors.As(err, &e) {
		switch e.Kind {
		case email.KindRefused, email.KindTimeout, email.KindNetwork:
			return failure{state: MailOffline, msg: "offline: " + err.Error(), hint: "mail already here keeps working; "}
		case email.KindAuth:
			return failure{state: MailError, stop: true, msg: "wrong password or user name: " + err.Error(),
				hint: "enter the right password (or app password) in the account's settings, then press Retry"}
		case email.KindNotFound:
			return failure{state: MailError, stop: true, msg: err.Error(), hint: "check the server name in the account's settings, then press Retry"}
		case email.KindTLS:
			return failure{state: MailError, stop: true, msg: err.Error(), hint: "check the server name and security setting, then press Retry"}
		case email.KindCapability:
			return failure{state: MailError, stop: true, msg: err.Error(), hint: "this server cannot be used as set up; check the account's settings, then press Retry"}
		}
		if !e.Temporary {
			return failure{state: MailError, stop: true, msg: err.Error(), hint: "press Retry after fixing the cause"}
		}
		return failure{state: MailError, msg: err.Error()}
	}
	switch {
	case errors.Is(err, inbox.ErrNotFound): // no password saved
		return failure{state: MailError, stop: true, msg: err.Error(), hint: "add the account's password again, then press Retry"}
	case errors.Is(err, inbox.ErrInvalid): // unreadable settings
		return failure{state: MailError, stop: true, msg: err.Error(), hint: "fix the account's settings, then press Retry"}
	}
	return failure{state: MailError, msg: err.Error()}
}
