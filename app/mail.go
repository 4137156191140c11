package app

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// EventAccountStatus carries one email account's AccountStatus whenever it
// changes (state, progress, error).
const EventAccountStatus = "accounts:status"

// Sync states of an email account.
const (
	MailSyncing = "syncing" // connecting or bringing folders up to date
	MailIdle    = "idle"    // up to date, waiting for new mail (IDLE or polling)
	MailError   = "error"   // something failed; Hint says whether it retries
	MailOffline = "offline" // the server cannot be reached; retrying with backoff
)

// AccountStatus is an email account's line in the sync status bar.
type AccountStatus struct {
	AccountID string `json:"account_id"`
	Name      string `json:"name"`
	State     string `json:"state"`
	// Done and Total count the chosen folders' messages stored here and on
	// the server during a sync (progress on long work); Total is 0 before
	// the first count.
	Done  int `json:"done"`
	Total int `json:"total"`
	// LastSyncAt is RFC 3339, "" before the first successful sync.
	LastSyncAt string `json:"last_sync_at"`
	// Error says what failed, Hint what to do or what happens next.
	Error string `json:"error"`
	Hint  string `json:"hint"`
	// Retrying is false when the loop stopped and waits for Retry (a
	// rejected password, bad settings).
	Retrying bool `json:"retrying"`
	// Warning is what the last sync warned of: an OAuth2 sign-in about
	// to lapse ("... expires on 4 Mar 2026: sign in again before").
	Warning string `json:"warning,omitempty"`
}

// MailOptions tune Mail. A nil *MailOptions means defaults.
type MailOptions struct {
	// Syncer options (Auth for tests, IMAP timeouts); Secrets, OnChange and
	// Log are filled in by NewMail.
	Syncer syncer.Options
	// MinBackoff and MaxBackoff bound the wait before reconnecting after a
	// temporary failure (defaults 5 s and 5 min).
	MinBackoff, MaxBackoff time.Duration
	// Poll is how often everything is synced even without news (default
	// 2 min); NoIdlePoll how often the inbox is checked when the server has
	// no IDLE (default 30 s); IdleMax caps one IDLE (default 25 min).
	Poll, NoIdlePoll, IdleMax time.Duration
	// FlagWatch is how often local flag changes are looked for, to send
	// them at once (default 1 s).
	FlagWatch time.Duration
	// Log receives structured progress; never a password or a body.
	Log *slog.Logger
}

// Mail is bound to the window as window.go.app.Mail: one supervised sync
// loop per email account (IDLE on the inbox with a polling fallback), its
// status for the status bar, retry and sync-now.
type Mail struct {
	ws   *workspace.Workspace
	emit Emitter
	sy   *syncer.Syncer
	opts MailOptions
	log  *slog.Logger

	mu     sync.Mutex
	ctx    context.Context
	loops  map[string]*mailLoop
	status map[string]*AccountStatus
	wg     sync.WaitGroup
	// stopWatch ends the flag watcher (watchFlags).
	stopWatch context.CancelFunc
}

// mailLoop is one account's running loop.
type mailLoop struct {
	acct   inbox.Account
	cancel context.CancelFunc
	kick   chan struct{}
	done   chan struct{}
	// attempts counts connections tried (a retry storm shows here).
	attempts atomic.Int64
	// mark is the highest message seq already announced.
	mark atomic.Int64
	// counted are the folders whose stored messages make up Done.
	mu      sync.Mutex
	counted []countedFolder
}

type countedFolder struct {
	name        string
	uidValidity uint32
}

// NewMail returns the bound service; sec keeps the accounts' passwords.
// Nothing runs until Startup.
func NewMail(ws *workspace.Workspace, emit Emitter, sec *secrets.Store, opts *MailOptions) *Mail {
	m := &Mail{ws: ws, emit: emit, ctx: context.Background(), loops: map[string]*mailLoop{}, status: map[string]*AccountStatus{}}
	if opts != nil {
		m.opts = *opts
	}
	o := &m.opts
	o.MinBackoff = cmp0(o.MinBackoff, 5*time.Second)
	o.MaxBackoff = cmp0(o.MaxBackoff, 5*time.Minute)
	o.Poll = cmp0(o.Poll, 2*time.Minute)
	o.NoIdlePoll = cmp0(o.NoIdlePoll, 30*time.Second)
	o.IdleMax = cmp0(o.IdleMax, 25*time.Minute)
	o.FlagWatch = cmp0(o.FlagWatch, time.Second)
	m.log = o.Log
	if m.log == nil {
		m.log = slog.Default()
	}
	so := o.Syncer
	if so.Secrets == nil {
		so.Secrets = sec
	}
	if so.Log == nil {
		so.Log = m.log
	}
	so.OnChange = m.onChange
	m.sy = syncer.New(ws.Store, &so)
	return m
}

func cmp0(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Startup starts one loop per email account (demo accounts never sync);
// they stop when ctx ends (the window closes) or on Shutdown.
func (m *Mail) Startup(ctx context.Context) {
	m.mu.Lock()
	m.ctx = ctx
	m.mu.Unlock()
	accts, err := m.ws.Store.Accounts(ctx)
	if err != nil {
		m.log.Error("app: listing accounts", "err", err)
		return
	}
	wctx, stop := context.WithCancel(ctx)
	m.mu.Lock()
	m.stopWatch = stop
	m.mu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.watchFlags(wctx)
	}()
	for _, a := range accts {
		if a.Channel != inbox.ChannelEmail || a.Demo() {
			continue
		}
		m.start(a)
	}
}

// Shutdown stops every loop and waits for them.
func (m *Mail) Shutdown() {
	m.mu.Lock()
	for _, l := range m.loops {
		l.cancel()
	}
	if m.stopWatch != nil {
		m.stopWatch()
	}
	m.mu.Unlock()
	m.wg.Wait()
}

// Status lists every email account's sync status, by name.
func (m *Mail) Status() []AccountStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]AccountStatus, 0, len(m.status))
	for _, s := range m.status {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SyncNow syncs an account at once: it interrupts the wait for new mail
// (or the backoff after a failure), or starts the loop when it stopped or
// the account is new.
func (m *Mail) SyncNow(accountID string) error {
	m.mu.Lock()
	l := m.loops[accountID]
	m.mu.Unlock()
	if l != nil && l.running() {
		select {
		case l.kick <- struct{}{}:
		default: // a kick is already pending
		}
		return nil
	}
	a, err := m.account(accountID)
	if err != nil {
		return err
	}
	m.start(a)
	return nil
}

// Retry is the status bar's retry button, for after the owner fixed what
// stopped the account (a new password, new server settings): the loop
// restarts from scratch with the account as now saved.
func (m *Mail) Retry(accountID string) error {
	a, err := m.account(accountID)
	if err != nil {
		return err
	}
	m.mu.Lock()
	l := m.loops[accountID]
	m.mu.Unlock()
	if l != nil {
		l.cancel()
		select {
		case <-l.done:
		case <-time.After(15 * time.Second):
			return fmt.Errorf("app: the sync of %q is still stopping; try again in a moment", a.Name)
		}
	}
	m.start(a)
	return nil
}

// account reads an email account that may sync.
func (m *Mail) account(accountID string) (inbox.Account, error) {
	m.mu.Lock()
	ctx := m.ctx
	m.mu.Unlock()
	a, err := m.ws.Store.Account(ctx, accountID)
	if err != nil {
		return a, err
	}
	if a.Channel != inbox.ChannelEmail {
		return a, fmt.Errorf("app: %q is a %s account; only email accounts sync here: %w", a.Name, a.Channel, inbox.ErrInvalid)
	}
	if a.Demo() {
		return a, fmt.Errorf("app: %q is a demo account and never syncs: %w", a.Name, inbox.ErrInvalid)
	}
	return a, nil
}

func (l *mailLoop) running() bool {
	select {
	case <-l.done:
		return false
	default:
		return true
	}
}

// start runs a new loop for an account, replacing a stopped one.
func (m *Mail) start(a inbox.Account) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old := m.loops[a.ID]; old != nil && old.running() {
		return
	}
	ctx, cancel := context.WithCancel(m.ctx)
	l := &mailLoop{acct: a, cancel: cancel, kick: make(chan struct{}, 1), done: make(chan struct{})}
	m.loops[a.ID] = l
	st := m.status[a.ID]
	if st == nil {
		st = &AccountStatus{AccountID: a.ID, Name: a.Name}
		if !a.LastSyncAt.IsZero() {
			st.LastSyncAt = a.LastSyncAt.UTC().Format(time.RFC3339)
		}
		m.status[a.ID] = st
	}
	st.State, st.Error, st.Hint, st.Retrying = MailSyncing, "", "", true
	m.emitLocked(st)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(l.done)
		defer cancel()
		m.run(ctx, l)
	}()
}

// update changes an account's status and sends it to the window.
func (m *Mail) update(accountID string, fn func(*AccountStatus)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.status[accountID]
	if st == nil {
		return
	}
	fn(st)
	m.emitLocked(st)
}

func (m *Mail) emitLocked(st *AccountStatus) {
	if m.emit != nil {
		m.emit.Emit(EventAccountStatus, *st)
	}
}

// attempts reports how many connections an account's loop tried (tests).
func (m *Mail) attempts(accountID string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l := m.loops[accountID]; l != nil {
		return l.attempts.Load()
	}
	return 0
}

// onChange is the syncer's hook after each transaction that changed an
// account's conversations: it announces the conversations that received
// new messages (an empty list, "reload", when only flags changed) and
// updates the progress.
func (m *Mail) onChange(accountID string) {
	m.mu.Lock()
	l := m.loops[accountID]
	m.mu.Unlock()
	if l != nil {
		m.announce(l, true)
	}
}

// announce sends inbox:changed with the conversations that received the
// account's messages since the last announcement; with none, it sends an
// empty list (reload) only when told something else changed.
func (m *Mail) announce(l *mailLoop, changed bool) {
	ctx := context.Background()
	ids, mark, err := m.ws.Store.ConversationsSince(ctx, l.acct.ID, l.mark.Load())
	if err != nil {
		m.log.Warn("app: new conversations", "account", l.acct.Name, "err", err)
		ids = []string{}
	}
	l.mark.Store(mark)
	if m.emit != nil && (len(ids) > 0 || changed) {
		m.emit.Emit(EventChanged, ids)
	}
	done := m.stored(ctx, l)
	m.update(l.acct.ID, func(st *AccountStatus) {
		if st.State == MailSyncing {
			st.Done = done
		}
	})
}

// stored counts the messages stored, with their bodies, from the counted
// folders (a message listed from its header alone is not done yet).
func (m *Mail) stored(ctx context.Context, l *mailLoop) int {
	l.mu.Lock()
	folders := append([]countedFolder(nil), l.counted...)
	l.mu.Unlock()
	n := 0
	for _, f := range folders {
		c, err := m.ws.Store.ReadableLocationCount(ctx, l.acct.ID, f.name, f.uidValidity)
		if err == nil {
			n += c
		}
	}
	return n
}
