package app

import (
	"context"
	"time"
)

// watchFlags wakes an account's loop when the owner changes a message's
// read, flagged or answered state (in the window, or on the command line in
// another process), so the change reaches the server within seconds even
// when no new mail arrives. It reads one small table (store.FlagVersions)
// every FlagWatch; a version that moved since the last look kicks the loop,
// whose sync then finds the local change and sends it.
func (m *Mail) watchFlags(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			m.log.Error("app: flag watcher stopped", "panic", r)
		}
	}()
	seen, _ := m.ws.Store.FlagVersions(ctx)
	t := time.NewTicker(m.opts.FlagWatch)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now, err := m.ws.Store.FlagVersions(ctx)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Warn("app: reading flag versions", "err", err)
			}
			continue
		}
		for id, v := range now {
			if seen[id] == v {
				continue
			}
			m.mu.Lock()
			l := m.loops[id]
			m.mu.Unlock()
			if l != nil && l.running() {
				select {
				case l.kick <- struct{}{}:
				default: // a sync is already due
				}
			}
		}
		seen = now
	}
}
