package app

import (
	"context"
	"log/slog"
	"time"
)

// wakeInterval is how often snoozed conversations are checked.
const wakeInterval = 30 * time.Second

// wakeOnce opens the snoozed conversations whose time has come and tells the
// window.
func (a *Inbox) wakeOnce(ctx context.Context) error {
	ids, err := a.ws.Store.WakeSnoozed(ctx)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		a.changed(ids...)
	}
	return nil
}

// runWaker wakes snoozed conversations until ctx ends. It recovers from
// panics so a bad row cannot take the window down.
func (a *Inbox) runWaker(ctx context.Context, every time.Duration) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("app: snooze waker stopped", "panic", r)
		}
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := a.wakeOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("app: waking snoozed conversations", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
