package emailconn

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/store"
)

// memSecrets is a secret store in memory.
type memSecrets map[string]string

func (m memSecrets) Get(k string) (string, error) {
	if v, ok := m[k]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no secret %s: %w", k, inbox.ErrNotFound)
}
func (m memSecrets) Set(k, v string) error { m[k] = v; return nil }
func (m memSecrets) Delete(k string) error { delete(m, k); return nil }

// TestSupervisedLoop runs an email account in the channels Runner, opened
// through Factory: mail arrives (IDLE wakes the loop), a cut connection is
// retried with backoff, and a password changed at the provider stops the
// loop with what to do on the health line.
func TestSupervisedLoop(t *testing.T) {
	e := newMailEnv(t, "acc_runner")
	st := openTestStore(t, e.acct)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var last channels.Health
	healths := make(chan channels.Health, 100)
	r := channels.NewRunner(channels.RunnerOptions{
		Registry: channels.Registry{inbox.ChannelEmail: func(a inbox.Account, s channels.Secrets) (channels.Connector, error) {
			conn, err := Factory(a, s)
			if c, ok := conn.(*Connector); ok {
				c.opt.Wait = 20 * time.Second // IDLE between rounds, as a long poll
			}
			return conn, err
		}},
		Secrets: memSecrets{secrets.PasswordKey(e.acct.ID): password},
		Backoff: channels.Backoff{Min: 50 * time.Millisecond, Max: 200 * time.Millisecond},
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sync: func(ctx context.Context, a inbox.Account, c channels.Connector) error {
			_, _, err := channels.SyncRound(ctx, st, a, c)
			return err
		},
		Report: func(h channels.Health) {
			mu.Lock()
			last = h
			mu.Unlock()
			select {
			case healths <- h:
			default:
			}
		},
	})
	r.Start(ctx, e.acct)
	defer r.Shutdown()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if ok() {
				return
			}
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("timed out waiting for %s; health %+v", what, last)
	}
	stored := func() int {
		cs, _ := st.Conversations(ctx, storeFilter(e.acct.ID))
		n := 0
		for _, c := range cs {
			n += c.MessageCount
		}
		return n
	}
	waitFor("connected", func() bool { mu.Lock(); defer mu.Unlock(); return last.State == channels.StateConnected })
	e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: "Hello", Text: "first"})
	waitFor("the first message", func() bool { return stored() == 1 })

	// A network drop: the loop retries by itself and catches up.
	e.proxy.Cut()
	e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: "Again", Text: "second"})
	waitFor("the second message after the drop", func() bool { return stored() == 2 })

	// The owner changed the password at the provider: the next sign-in is
	// rejected and the loop stops, saying what to do.
	if err := e.srv.SetPassword(owner, "changed"); err != nil {
		t.Fatal(err)
	}
	e.proxy.Cut()
	waitFor("the loop to stop", func() bool { mu.Lock(); defer mu.Unlock(); return last.State == channels.StateStopped })
	mu.Lock()
	h := last
	mu.Unlock()
	if !strings.Contains(h.LastError, "login rejected") || !strings.Contains(h.Hint, "password") {
		t.Errorf("health %+v, want the rejected login and what to do", h)
	}
	sawRetry := false
	for len(healths) > 0 {
		if (<-healths).State == channels.StateRetrying {
			sawRetry = true
		}
	}
	if !sawRetry {
		t.Error("the cut connection was never reported as retrying")
	}
}

func storeFilter(accountID string) store.ListFilter { return store.ListFilter{AccountID: accountID} }
