package channels

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"tidings/backend/inbox"
)

// State is where an account's loop stands.
type State string

// Loop states.
const (
	StateConnecting State = "connecting"
	StateConnected  State = "connected"
	StateRetrying   State = "retrying"
	StateStopped    State = "stopped"
)

// Health is the line the window shows for an account.
type Health struct {
	AccountID string        `json:"account_id"`
	Name      string        `json:"name"`
	Channel   inbox.Channel `json:"channel"`
	State     State         `json:"state"`
	Connected bool          `json:"connected"`
	LastSync  time.Time     `json:"last_sync"`
	LastError string        `json:"last_error"`
	// Hint says what to do about LastError.
	Hint string `json:"hint"`
	// Failures counts consecutive failed rounds.
	Failures  int       `json:"failures"`
	NextRetry time.Time `json:"next_retry"`
}

// Syncer does one round for an account: receive a batch and store it. The
// Runner calls it in a loop with the account's connector.
type Syncer func(ctx context.Context, acct inbox.Account, conn Connector) error

// Backoff computes the wait before retry number n (1-based).
type Backoff struct {
	Min, Max time.Duration
}

// Delay doubles from Min up to Max.
func (b Backoff) Delay(n int) time.Duration {
	d := b.Min
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max {
		d = b.Max
	}
	return d
}

// RunnerOptions configure a Runner. Zero values mean defaults.
type RunnerOptions struct {
	Registry Registry
	Secrets  Secrets
	Sync     Syncer
	// Backoff defaults to 1 s doubling up to 5 min.
	Backoff Backoff
	// Idle is the pause between rounds that returned without error; a
	// long-polling connector already waits inside Receive. Default 0.
	Idle time.Duration
	// Report is told about every health change (the window's health line,
	// the store's last_error). It must not block for long.
	Report func(Health)
	Log    *slog.Logger
	// Sleep waits d or until ctx ends; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
}

// Runner supervises one loop per account. Each loop connects, syncs in
// rounds, backs off exponentially on temporary errors, stops and reports on
// permanent ones, recovers from panics, and ends when its context does.
type Runner struct {
	opt    RunnerOptions
	mu     sync.Mutex
	health map[string]Health
	loops  map[string]context.CancelFunc
	wg     sync.WaitGroup
}

// NewRunner returns a Runner. It starts nothing.
func NewRunner(opt RunnerOptions) *Runner {
	if opt.Backoff.Min <= 0 {
		opt.Backoff.Min = time.Second
	}
	if opt.Backoff.Max < opt.Backoff.Min {
		opt.Backoff.Max = 5 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Sleep == nil {
		opt.Sleep = sleep
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Runner{opt: opt, health: map[string]Health{}, loops: map[string]context.CancelFunc{}}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Start starts the account's loop, unless it already runs.
func (r *Runner) Start(ctx context.Context, acct inbox.Account) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.loops[acct.ID]; ok {
		return
	}
	lctx, cancel := context.WithCancel(ctx)
	r.loops[acct.ID] = cancel
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.loop(lctx, acct)
		r.mu.Lock()
		delete(r.loops, acct.ID)
		r.mu.Unlock()
		cancel()
	}()
}

// Stop ends one account's loop and waits for nothing; Wait waits for all.
func (r *Runner) Stop(accountID string) {
	r.mu.Lock()
	cancel := r.loops[accountID]
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Shutdown ends every loop and waits until they have returned.
func (r *Runner) Shutdown() {
	r.mu.Lock()
	for _, c := range r.loops {
		c()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// Wait waits until every loop has returned.
func (r *Runner) Wait() { r.wg.Wait() }

// Health returns every account's health line, by name.
func (r *Runner) Health() []Health {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Health, 0, len(r.health))
	for _, h := range r.health {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *Runner) set(h Health) {
	r.mu.Lock()
	r.health[h.AccountID] = h
	r.mu.Unlock()
	if r.opt.Report != nil {
		r.opt.Report(h)
	}
}

// loop runs one account until ctx ends or a permanent error stops it.
func (r *Runner) loop(ctx context.Context, acct inbox.Account) {
	h := Health{AccountID: acct.ID, Name: acct.Name, Channel: acct.Channel, State: StateConnecting}
	r.set(h)
	log := r.opt.Log.With("account", acct.Name, "channel", string(acct.Channel))
	var conn Connector
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		if ctx.Err() != nil {
			h.State, h.Connected = StateStopped, false
			r.set(h)
			return
		}
		err := r.round(ctx, acct, &conn)
		switch {
		case err == nil:
			h.State, h.Connected, h.LastSync = StateConnected, true, r.opt.Now()
			h.LastError, h.Hint, h.Failures, h.NextRetry = "", "", 0, time.Time{}
			r.set(h)
			if r.opt.Idle > 0 && r.opt.Sleep(ctx, r.opt.Idle) != nil {
				continue
			}
		case ctx.Err() != nil:
			continue
		case IsPermanent(err):
			log.Error("channels: account stopped", "err", err)
			h.State, h.Connected = StateStopped, false
			h.LastError, h.Hint = Cause(err), HintOf(err)
			h.Failures++
			h.NextRetry = time.Time{}
			r.set(h)
			return
		default:
			h.Failures++
			wait := r.opt.Backoff.Delay(h.Failures)
			if ra := RetryAfterOf(err); ra > wait {
				wait = ra
			}
			log.Warn("channels: round failed, retrying", "err", err, "failures", h.Failures, "wait", wait)
			h.State, h.Connected = StateRetrying, false
			h.LastError, h.Hint = Cause(err), HintOf(err)
			if h.Hint == "" {
				h.Hint = "Tidings retries by itself; check the network if this lasts"
			}
			h.NextRetry = r.opt.Now().Add(wait)
			r.set(h)
			if conn != nil {
				conn.Close()
				conn = nil
			}
			r.opt.Sleep(ctx, wait)
		}
	}
}

// markConnected reports a fresh connection before the first round ends (a
// long poll may take a while).
func (r *Runner) markConnected(accountID string) {
	r.mu.Lock()
	h := r.health[accountID]
	h.State, h.Connected = StateConnected, true
	h.LastError, h.Hint, h.NextRetry = "", "", time.Time{}
	r.health[accountID] = h
	r.mu.Unlock()
	if r.opt.Report != nil {
		r.opt.Report(h)
	}
}

// round connects if needed and runs one sync round, turning a panic into a
// temporary error so one bad update never kills the program.
func (r *Runner) round(ctx context.Context, acct inbox.Account, conn *Connector) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.opt.Log.Error("channels: panic in account loop", "account", acct.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = Temporary("sync", fmt.Errorf("channels: internal error: %v", p))
		}
	}()
	if *conn == nil {
		c, err := r.opt.Registry.Open(acct, r.opt.Secrets)
		if err != nil {
			return err
		}
		if err := c.Connect(ctx); err != nil {
			c.Close()
			return err
		}
		*conn = c
		r.markConnected(acct.ID)
	}
	if r.opt.Sync == nil {
		return Permanent("sync", errors.New("channels: runner has no sync function"), "report this bug")
	}
	return r.opt.Sync(ctx, acct, *conn)
}
