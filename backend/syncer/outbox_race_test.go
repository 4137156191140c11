package syncer

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// TestOutboxSentOnceWhenTwoSendAtOnce has two callers send an account's
// outbox at the same moment, as the window's Send and the sync loop may:
// the first one is held after reading what is due until the second has
// read it too (or, when the second must wait its turn, for a few seconds).
// The customer must get the message once.
func TestOutboxSentOnceWhenTwoSendAtOnce(t *testing.T) {
	h := newHarness(t, nil)
	item, _ := h.queueReply()
	var gate atomic.Bool
	var calls atomic.Int32
	release := make(chan struct{})
	h.sy = New(h.st, &Options{Auth: func(context.Context, inbox.Account, email.Config) (email.Auth, error) {
		if gate.Load() {
			if calls.Add(1) == 1 {
				select {
				case <-release:
				case <-time.After(3 * time.Second): // the other waits for this one to finish
				}
			} else {
				close(release)
			}
		}
		return email.Auth{Password: pass}, nil
	}})
	type conn struct {
		sess    *email.Session
		cfg     email.Config
		folders []email.Folder
	}
	var conns []conn
	for range 2 {
		sess, cfg, err := h.sy.Connect(h.ctx, h.acc)
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		folders, err := sess.Folders(h.ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn{sess, cfg, email.PickFolders(folders, cfg.Folders)})
	}
	gate.Store(true)
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = h.sy.SendOutbox(h.ctx, c.sess, h.acc, c.cfg, c.folders)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(h.smtp.Messages()); n != 1 {
		t.Errorf("the customer got the message %d times, want once", n)
	}
	if o := h.outbox(item.ID); o.State != inbox.OutboxSent || o.Attempts != 1 {
		t.Errorf("outbox: got %s after %d attempts, want sent after 1", o.State, o.Attempts)
	}
}
