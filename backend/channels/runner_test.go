package channels

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"tidings/backend/inbox"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// scripted is a connector whose rounds follow a script.
type scripted struct {
	mu     sync.Mutex
	closed int
}

func (s *scripted) Connect(ctx context.Context) error { return nil }
func (s *scripted) Receive(ctx context.Context, c map[string]string) (Batch, error) {
	return Batch{}, nil
}
func (s *scripted) Send(ctx context.Context, o Outbound) (SendResult, error) {
	return SendResult{}, nil
}
func (s *scripted) Capabilities() Capabilities { return Capabilities{} }
func (s *scripted) Close() error {
	s.mu.Lock()
	s.closed++
	s.mu.Unlock()
	return nil
}

func TestRunnerBacksOffThenStopsOnPermanent(t *testing.T) {
	acct := inbox.Account{ID: "acc_1", Name: "Bot", Channel: "test"}
	conn := &scripted{}
	var mu sync.Mutex
	var waits []time.Duration
	var reports []Health
	round := 0
	r := NewRunner(RunnerOptions{
		Registry: Registry{"test": func(inbox.Account, Secrets) (Connector, error) { return conn, nil }},
		Backoff:  Backoff{Min: time.Second, Max: 8 * time.Second},
		Log:      quiet,
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return nil
		},
		Report: func(h Health) {
			mu.Lock()
			reports = append(reports, h)
			mu.Unlock()
		},
		Sync: func(ctx context.Context, a inbox.Account, c Connector) error {
			round++
			switch round {
			case 1, 2, 3, 4:
				return Temporary("getUpdates", errors.New("connection reset"))
			case 5:
				return nil
			case 6:
				return &Error{Kind: KindTemporary, Op: "getUpdates", Err: errors.New("429 Too Many Requests"), RetryAfter: time.Minute}
			case 7:
				panic("malformed update")
			}
			return Permanent("getUpdates", errors.New("401 Unauthorized"), "get a new token from @BotFather")
		},
	})
	r.Start(context.Background(), acct)
	r.Wait()
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, time.Minute, 2 * time.Second}
	if len(waits) != len(want) {
		t.Fatalf("waits = %v, want %v", waits, want)
	}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("wait %d = %s, want %s", i, waits[i], want[i])
		}
	}
	h := r.Health()
	if len(h) != 1 || h[0].State != StateStopped || h[0].Connected || h[0].Hint != "get a new token from @BotFather" || h[0].LastSync.IsZero() {
		t.Errorf("health = %+v, want stopped with the hint and a last sync", h)
	}
	sawPanic, sawConnected := false, false
	for _, rep := range reports {
		if rep.State == StateRetrying && rep.LastError == "sync: channels: internal error: malformed update" {
			sawPanic = true
		}
		if rep.State == StateConnected && rep.Connected {
			sawConnected = true
		}
	}
	if !sawPanic || !sawConnected {
		t.Errorf("reports %+v: want a connected line and the recovered panic as a retry", reports)
	}
	if conn.closed == 0 {
		t.Error("connector never closed")
	}
}

func TestRunnerShutdownStopsLoops(t *testing.T) {
	started := make(chan struct{}, 2)
	r := NewRunner(RunnerOptions{
		Registry: Registry{"test": func(inbox.Account, Secrets) (Connector, error) { return &scripted{}, nil }},
		Sync: func(ctx context.Context, a inbox.Account, c Connector) error {
			select {
			case started <- struct{}{}:
			default:
			}
			<-ctx.Done()
			return ctx.Err()
		},
	})
	r.Start(context.Background(), inbox.Account{ID: "a", Name: "A", Channel: "test"})
	r.Start(context.Background(), inbox.Account{ID: "b", Name: "B", Channel: "test"})
	r.Start(context.Background(), inbox.Account{ID: "a", Name: "A", Channel: "test"}) // already running
	<-started
	<-started
	r.Shutdown()
	for _, h := range r.Health() {
		if h.State != StateStopped {
			t.Errorf("%s is %s after shutdown, want stopped", h.Name, h.State)
		}
	}
	if n := len(r.Health()); n != 2 {
		t.Errorf("%d loops, want 2", n)
	}
}

func TestUnknownChannelIsPermanent(t *testing.T) {
	_, err := Registry{}.Open(inbox.Account{Channel: "fax"}, nil)
	if !IsPermanent(err) || !errors.Is(err, inbox.ErrNotAvailable) {
		t.Errorf("unknown channel: %v, want permanent and not available", err)
	}
}

func TestErrorKinds(t *testing.T) {
	base := errors.New("boom")
	cases := []struct {
		name string
		err  error
		kind Kind
	}{
		{"temporary", Temporary("op", base), KindTemporary},
		{"permanent", Permanent("op", base, "fix it"), KindPermanent},
		{"rejected", Rejected("op", base, "why"), KindRejected},
		{"wrapped", errors.Join(errors.New("ctx"), Permanent("op", base, "fix")), KindPermanent},
		{"plain error is temporary", base, KindTemporary},
		{"nil", nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := KindOf(c.err); got != c.kind {
				t.Errorf("KindOf = %s, want %s", got, c.kind)
			}
			if c.err != nil && !errors.Is(c.err, base) {
				t.Error("the cause is lost")
			}
			sentinel := map[Kind]error{KindTemporary: ErrTemporary, KindPermanent: ErrPermanent, KindRejected: ErrRejected}[c.kind]
			if sentinel != nil && c.name != "plain error is temporary" && !errors.Is(c.err, sentinel) {
				t.Errorf("errors.Is(err, %v) = false", sentinel)
			}
			if c.kind != KindPermanent && errors.Is(c.err, ErrPermanent) {
				t.Error("errors.Is matched the wrong kind")
			}
		})
	}
}
