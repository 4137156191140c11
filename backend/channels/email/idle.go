package email

import (
	"context"
	"errors"
	"time"
)

// ErrNoIdle is returned by Idle when the server lacks IDLE; the caller
// polls instead.
var ErrNoIdle = errors.New("email: the server does not offer IDLE")

// Idle waits in IMAP IDLE (RFC 2177) on the selected folder until the
// server reports a change, max passes (servers drop idle connections after
// 30 minutes, so callers pass less), or ctx ends. It reports whether
// something changed.
func (s *Session) Idle(ctx context.Context, max time.Duration) (bool, error) {
	if !s.Has("IDLE") {
		return false, ErrNoIdle
	}
	// Drain a stale signal from before the wait.
	select {
	case <-s.updates:
		return true, nil
	default:
	}
	cmd, err := s.c.Idle()
	if err != nil {
		return false, s.classify("IDLE", err)
	}
	changed := false
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-s.updates:
		changed = true
	case <-t.C:
	case <-ctx.Done():
	case <-s.c.Closed():
		return false, s.classify("IDLE", errors.New("connection closed"))
	}
	s.conn.begin()
	defer s.conn.end()
	if err := cmd.Close(); err != nil {
		return changed, s.classify("IDLE", err)
	}
	if err := cmd.Wait(); err != nil {
		return changed, s.classify("IDLE", err)
	}
	return changed, ctx.Err()
}
