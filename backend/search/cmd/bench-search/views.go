package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/search"
	"tidings/backend/store"
)

// pageViews times one page of 50 conversations at several depths of the
// conversation list (keyset paging), and pages of search results deep into
// a common word's matches.
func pageViews(ctx context.Context, r *report, st *store.Store, c *corpus, s *search.Searcher, qs []querySet) error {
	r.printf("\n== Paging, 50 per page ==\n")
	r.printf("%-34s %9s %9s\n", "view page", "p50 ms", "p95 ms")
	nconv := len(c.convs)
	for _, depth := range []int{0, 1000, 10000, nconv / 2, nconv - 60} {
		if depth < 0 || depth >= nconv {
			continue
		}
		for _, status := range []inbox.Status{"", inbox.StatusOpen} {
			f := store.ListFilter{Limit: 50, Status: status}
			if depth > 0 {
				var id string
				var at int64
				q := `SELECT id, last_message_at FROM conversations ORDER BY last_message_at DESC, id DESC LIMIT 1 OFFSET ?`
				if status != "" {
					q = `SELECT id, last_message_at FROM conversations WHERE status = 'open' ORDER BY last_message_at DESC, id DESC LIMIT 1 OFFSET ?`
				}
				if err := st.DB().QueryRowContext(ctx, q, depth-1).Scan(&id, &at); err != nil {
					return err
				}
				f.AfterID, f.AfterTime = id, time.UnixMilli(at)
			}
			var samples []time.Duration
			for i := 0; i < 21; i++ {
				t := time.Now()
				rows, err := st.Conversations(ctx, f)
				d := time.Since(t)
				if err != nil {
					return err
				}
				if len(rows) == 0 {
					return fmt.Errorf("empty page at depth %d", depth)
				}
				if i > 0 {
					samples = append(samples, d)
				}
			}
			name := fmt.Sprintf("all, after %d conversations", depth)
			if status != "" {
				name = fmt.Sprintf("status open, after %d", depth)
			}
			r.printf("%-34s %9.2f %9.2f\n", name, ms(pct(samples, 50)), ms(pct(samples, 95)))
		}
	}
	for _, set := range []querySet{qs[1], qs[4]} {
		q := set.queries[0]
		after := ""
		var first, tenth time.Duration
		var samples []time.Duration
		for page := 1; page <= 10; page++ {
			t := time.Now()
			res, err := s.Search(ctx, search.Request{Query: q, Limit: 50, After: after})
			d := time.Since(t)
			if err != nil {
				return err
			}
			samples = append(samples, d)
			if page == 1 {
				first = d
			}
			tenth = d
			if res.Next == "" {
				break
			}
			after = res.Next
		}
		r.printf("%-34s %9.2f %9.2f   (page 1 %.2f ms, last %.2f ms)\n", "search pages 1-10: "+set.name[:min(14, len(set.name))],
			ms(pct(samples, 50)), ms(pct(samples, 95)), ms(first), ms(tenth))
	}
	return nil
}

// terminal times `tidings search` as a user runs it from a terminal: a new
// process each time, output discarded, against bare start-up.
func terminal(r *report, bin, dataDir string, qs []querySet, reps int) error {
	r.printf("\n== `tidings search` from a terminal (%s), wall time per process ==\n", bin)
	startup, err := timeCmd(reps*4, nil, bin, "--version")
	if err != nil {
		return err
	}
	r.printf("%-34s %9.1f ms p50 %9.1f ms p95\n", "bare start-up (tidings --version)", ms(pct(startup, 50)), ms(pct(startup, 95)))
	for _, set := range qs {
		var all []time.Duration
		for _, q := range set.queries[:min(4, len(set.queries))] {
			d, err := timeCmd(reps, nil, bin, "--data", dataDir, "search", q, "--limit", "50")
			if err != nil {
				return err
			}
			all = append(all, d...)
		}
		r.printf("%-34s %9.1f ms p50 %9.1f ms p95\n", set.name, ms(pct(all, 50)), ms(pct(all, 95)))
	}
	return nil
}

// timeCmd runs a command n times (after one warm-up run) and returns the
// wall times.
func timeCmd(n int, env []string, name string, args ...string) ([]time.Duration, error) {
	var out []time.Duration
	for i := 0; i <= n; i++ {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		t := time.Now()
		b, err := cmd.CombinedOutput()
		d := time.Since(t)
		if err != nil {
			return nil, fmt.Errorf("%s %v: %w: %s", name, args, err, b)
		}
		if i > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}
