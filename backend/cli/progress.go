package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine returns a progress callback that keeps one updating line on
// stderr when it is a terminal (at most ten updates a second), and a
// function that clears the line. Off a terminal it prints nothing.
func progressLine(env *Env, verb, unit string) (func(done, total int), func()) {
	if !isTerminal(env.Stderr) {
		return nil, func() {}
	}
	var last time.Time
	shown := false
	update := func(done, total int) {
		now := time.Now()
		if done != total && now.Sub(last) < 100*time.Millisecond {
			return
		}
		last = now
		shown = true
		if total > 0 {
			fmt.Fprintf(env.Stderr, "\r%s %d/%d %s (%d%%)\x1b[K", verb, done, total, unit, done*100/total)
		} else {
			fmt.Fprintf(env.Stderr, "\r%s %d %s\x1b[K", verb, done, unit)
		}
	}
	clear := func() {
		if shown {
			fmt.Fprint(env.Stderr, "\r\x1b[K")
		}
	}
	return update, clear
}

// humanBytes formats a size for people.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
