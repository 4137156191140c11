// Package syncer runs each email account: it brings every chosen IMAP folder
// up to date in the store (new messages, flags both ways, expunges), waits
// for new mail with IDLE or polls, and sends the outbox.
//
// Sync never loses, duplicates or deletes mail. Each folder has a cursor
// (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ; RFC 7162) written in the same
// transaction as the messages it covers; what to fetch is the server's UIDs
// minus the locations already stored, so a sync killed at any point resumes
// where it stopped. A message the server no longer has is marked gone, never
// deleted; a UIDVALIDITY change re-maps messages by content (Message-ID and
// content hash) with no duplicates.
package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// Options tune a Syncer. A nil *Options means defaults.
type Options struct {
	// Secrets gives account passwords. Required unless Auth is set.
	Secrets *secrets.Store
	// Auth overrides how an account signs in (tests, OAuth2).
	Auth func(ctx context.Context, a inbox.Account, cfg email.Config) (email.Auth, error)
	// IMAP tunes connections (timeouts, trusted roots, debug trace).
	IMAP *email.Options
	// BatchMessages and BatchBytes bound one UID FETCH and one
	// transaction (defaults 250 messages, 4 MiB).
	BatchMessages int
	BatchBytes    int64
	// Parsers is how many messages are parsed at once (default: CPUs).
	Parsers int
	// HeadersFirst is how many of the newest new messages a large sync
	// (more than one batch) lists from their header alone before any body
	// is downloaded, so the list fills at once (default 1,000; negative:
	// never).
	HeadersFirst int
	// Log receives structured progress; never a password or a body.
	Log *slog.Logger
	// OnChange is called after a transaction that changed conversations
	// (the app forwards it to the window as an event).
	OnChange func(accountID string)
	// Now replaces the clock, for tests.
	Now func() time.Time
	// SMTP tunes submission (timeouts, trusted roots).
	SMTP *email.SMTPOptions
}

// Syncer syncs email accounts into a store.
type Syncer struct {
	st   *store.Store
	th   *threader.Threader
	opts Options
}

// New returns a Syncer. It does no I/O.
func New(st *store.Store, opts *Options) *Syncer {
	s := &Syncer{st: st, th: threader.New(st, nil)}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.BatchMessages == 0 {
		s.opts.BatchMessages = 250
	}
	if s.opts.BatchBytes == 0 {
		s.opts.BatchBytes = 4 << 20
	}
	if s.opts.HeadersFirst == 0 {
		s.opts.HeadersFirst = 1000
	}
	if s.opts.Parsers == 0 {
		s.opts.Parsers = runtime.NumCPU()
	}
	if s.opts.Log == nil {
		s.opts.Log = slog.New(slog.DiscardHandler)
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	return s
}

// FolderReport says what one folder's sync did.
type FolderReport struct {
	Folder   string `json:"folder"`
	New      int    `json:"new"`
	Known    int    `json:"known"`
	Gone     int    `json:"gone"`
	FlagsIn  int    `json:"flags_in"`
	FlagsOut int    `json:"flags_out"`
	Remapped bool   `json:"uidvalidity_changed,omitempty"`
	// Listed counts new messages stored from their header first; Bodies
	// the bodies that completed such messages.
	Listed int `json:"listed_first,omitempty"`
	Bodies int `json:"bodies,omitempty"`
	// Matched counts messages recognised at new UIDs after a UIDVALIDITY
	// change by Message-ID and size, without downloading them again.
	Matched     int  `json:"rematched,omitempty"`
	NothingToDo bool `json:"unchanged,omitempty"`
}

// Report says what an account's sync did.
type Report struct {
	Account string         `json:"account"`
	Folders []FolderReport `json:"folders"`
	Sent    int            `json:"sent"`
	Failed  int            `json:"failed"`
	// Warnings are things the user should act on soon (an OAuth2 sign-in
	// about to expire).
	Warnings []string      `json:"warnings,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// New counts new messages over all folders.
func (r Report) New() int {
	n := 0
	for _, f := range r.Folders {
		n += f.New
	}
	return n
}

// config reads an email account's settings.
func config(a inbox.Account) (email.Config, error) {
	if a.Channel != inbox.ChannelEmail {
		return email.Config{}, fmt.Errorf("syncer: account %q is a %s account, not email: %w", a.Name, a.Channel, inbox.ErrInvalid)
	}
	return email.ParseConfig(a.Config)
}

// auth returns how an account signs in.
func (s *Syncer) auth(ctx context.Context, a inbox.Account, cfg email.Config) (email.Auth, error) {
	if s.opts.Auth != nil {
		return s.opts.Auth(ctx, a, cfg)
	}
	if s.opts.Secrets == nil {
		return email.Auth{}, errors.New("syncer: no secret store")
	}
	if cfg.Auth == "oauth2" {
		return s.oauth(a, cfg)
	}
	pw, err := s.opts.Secrets.Get(secrets.PasswordKey(a.ID))
	if err != nil {
		return email.Auth{}, fmt.Errorf("syncer: password of %q: %w", a.Name, err)
	}
	return email.Auth{Password: pw}, nil
}

// oauth builds a token source from the stored token; refreshed tokens are
// saved back to the secret store.
func (s *Syncer) oauth(a inbox.Account, cfg email.Config) (email.Auth, error) {
	if cfg.OAuth == nil {
		return email.Auth{}, fmt.Errorf("syncer: account %q uses OAuth2 but names no provider: add it again", a.Name)
	}
	raw, err := s.opts.Secrets.Get(secrets.TokenKey(a.ID))
	if err != nil {
		return email.Auth{}, fmt.Errorf("syncer: OAuth2 token of %q: %w", a.Name, err)
	}
	var sec email.OAuthSecret
	if err := json.Unmarshal([]byte(raw), &sec); err != nil {
		return email.Auth{}, fmt.Errorf("syncer: OAuth2 token of %q is damaged: sign in again: %w", a.Name, err)
	}
	p := *cfg.OAuth
	p.ClientSecret = sec.ClientSecret
	src := email.NewTokenSource(p, sec.Token, func(t email.OAuthToken) error {
		b, _ := json.Marshal(email.OAuthSecret{Token: t, ClientSecret: sec.ClientSecret})
		return s.opts.Secrets.Set(secrets.TokenKey(a.ID), string(b))
	})
	src.Now = s.opts.Now
	return email.Auth{Token: src.Token}, nil
}

// tokenWarning says when an account's OAuth2 sign-in is about to lapse.
func (s *Syncer) tokenWarning(a inbox.Account, cfg email.Config) string {
	if cfg.Auth != "oauth2" || s.opts.Secrets == nil {
		return ""
	}
	raw, err := s.opts.Secrets.Get(secrets.TokenKey(a.ID))
	if err != nil {
		return ""
	}
	var sec email.OAuthSecret
	json.Unmarshal([]byte(raw), &sec)
	if w := sec.Token.RefreshWarning(s.opts.Now()); w != "" {
		s.opts.Log.Warn("oauth2", "account", a.Name, "warning", w)
		return a.Name + ": " + w
	}
	return ""
}

// errDemo refuses to touch the network for the demo workspace's accounts,
// which have no server behind them; their state is left as it is.
func errDemo(a inbox.Account) error {
	return fmt.Errorf("syncer: %s is a demo account with no server behind it: %w", a.Name, inbox.ErrInvalid)
}

// Connect signs in to an account's IMAP server.
func (s *Syncer) Connect(ctx context.Context, a inbox.Account) (*email.Session, email.Config, error) {
	if a.Demo() {
		return nil, email.Config{}, errDemo(a)
	}
	cfg, err := config(a)
	if err != nil {
		return nil, cfg, err
	}
	auth, err := s.auth(ctx, a, cfg)
	if err != nil {
		return nil, cfg, err
	}
	sess, err := email.Connect(ctx, cfg, auth, s.opts.IMAP)
	return sess, cfg, err
}

// SyncAccount brings an account up to date once: every chosen folder, then
// the outbox. The outcome is recorded on the account (last sync, error).
func (s *Syncer) SyncAccount(ctx context.Context, a inbox.Account) (Report, error) {
	if a.Demo() {
		return Report{Account: a.Name}, errDemo(a)
	}
	start := time.Now()
	rep := Report{Account: a.Name}
	err := s.syncAccount(ctx, a, &rep)
	rep.Duration = time.Since(start)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if rerr := s.st.SetAccountSync(context.WithoutCancel(ctx), a.ID, msg); rerr != nil && err == nil {
		err = rerr
	}
	return rep, err
}

func (s *Syncer) syncAccount(ctx context.Context, a inbox.Account, rep *Report) error {
	sess, cfg, err := s.Connect(ctx, a)
	if err != nil {
		return err
	}
	defer sess.Close()
	if w := s.tokenWarning(a, cfg); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	folders, err := s.folders(ctx, sess, cfg)
	if err != nil {
		return err
	}
	for _, f := range folders {
		fr, err := s.syncFolder(ctx, sess, a, cfg, f)
		rep.Folders = append(rep.Folders, fr)
		if err != nil {
			return fmt.Errorf("syncer: folder %q: %w", f.Name, err)
		}
	}
	sent, failed, err := s.SendOutbox(ctx, sess, a, cfg, folders)
	rep.Sent, rep.Failed = sent, failed
	if err != nil {
		return err
	}
	return s.stampLocal(ctx, a.ID, folders)
}

// folders lists and picks the folders to sync.
func (s *Syncer) folders(ctx context.Context, sess *email.Session, cfg email.Config) ([]email.Folder, error) {
	all, err := sess.Folders(ctx)
	if err != nil {
		return nil, err
	}
	picked := email.PickFolders(all, cfg.Folders)
	if len(picked) == 0 {
		return nil, fmt.Errorf("syncer: the server lists no INBOX")
	}
	return picked, nil
}

func (s *Syncer) changed(accountID string) {
	if s.opts.OnChange != nil {
		s.opts.OnChange(accountID)
	}
}
