package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
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
// process each time, output discarded; besides the wall time, the time the
// command reports for itself once started (--timing), which is the query's
// cost beyond the bare start-up without the noise of loading GTK and WebKit.
func terminal(r *report, bins []string, dataDir string, qs []querySet, reps int) error {
	for _, bin := range bins {
		r.printf("\n== `tidings search` from a terminal (%s), wall time per process ==\n", bin)
		r.printf("%-34s %9s %9s %9s %9s\n", "", "p50 ms", "p95 ms", "in-cmd ms", "cmd cpu")
		startup, err := timeCmd(reps*4, nil, bin, "--version")
		if err != nil {
			return err
		}
		r.printf("%-34s %9.1f %9.1f\n", "bare start-up (--version)", ms(pct(startup, 50)), ms(pct(startup, 95)))
		for _, set := range qs {
			var all, net, cpu []time.Duration
			for _, q := range set.queries[:min(4, len(set.queries))] {
				wall, inCmd, c, err := timeTidings(reps, bin, dataDir, q)
				if err != nil {
					return err
				}
				all, net, cpu = append(all, wall...), append(net, inCmd...), append(cpu, c...)
			}
			r.printf("%-34s %9.1f %9.1f %9.1f %9.1f\n", set.name, ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(net, 50)), ms(pct(cpu, 50)))
		}
	}
	return nil
}

// timeTidings runs `tidings search --timing` n times after a warm-up and
// returns the wall times, the times the command reports for itself once
// started (store opening included, process and library loading not), and
// the CPU time it reports for the same span.
func timeTidings(n int, bin, dataDir, q string) ([]time.Duration, []time.Duration, []time.Duration, error) {
	var wall, inCmd, cpu []time.Duration
	for i := 0; i <= n; i++ {
		cmd := exec.Command(bin, "--data", dataDir, "search", q, "--limit", "50", "--timing")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		t := time.Now()
		if err := cmd.Run(); err != nil {
			return nil, nil, nil, fmt.Errorf("%s search %q: %w: %s", bin, q, err, stderr.String())
		}
		d := time.Since(t)
		var v, c float64
		if _, err := fmt.Sscanf(strings.TrimSpace(stderr.String()), "search: %f ms, cpu %f ms", &v, &c); err != nil {
			return nil, nil, nil, fmt.Errorf("%s search --timing printed %q", bin, stderr.String())
		}
		if i > 0 {
			wall = append(wall, d)
			inCmd = append(inCmd, time.Duration(v*float64(time.Millisecond)))
			cpu = append(cpu, time.Duration(c*float64(time.Millisecond)))
		}
	}
	return wall, inCmd, cpu, nil
}

// procCPU is the CPU time (user and system) a finished command used: on a
// machine other work also loads, it says what the command costs where its
// wall time also counts waiting for a core.
func procCPU(cmd *exec.Cmd) time.Duration {
	if cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// timePaired runs base then cmd, n times after a warm-up, and returns cmd's
// wall times and the differences cmd - base, in wall and in CPU time.
func timePaired(n int, env []string, base, cmd []string) ([]time.Duration, []time.Duration, []time.Duration, error) {
	var wall, diff, cpuDiff []time.Duration
	for i := 0; i <= n; i++ {
		b, bc, err := timeCmdCPU(0, env, base[0], base[1:]...)
		if err != nil {
			return nil, nil, nil, err
		}
		c, cc, err := timeCmdCPU(0, env, cmd[0], cmd[1:]...)
		if err != nil {
			return nil, nil, nil, err
		}
		if i > 0 {
			wall = append(wall, c[0])
			diff = append(diff, c[0]-b[0])
			cpuDiff = append(cpuDiff, cc[0]-bc[0])
		}
	}
	return wall, diff, cpuDiff, nil
}

// timeCmd runs a command n times (after one warm-up run) and returns the
// wall times; with n = 0 it runs once and returns that time.
func timeCmd(n int, env []string, name string, args ...string) ([]time.Duration, error) {
	wall, _, err := timeCmdCPU(n, env, name, args...)
	return wall, err
}

// timeCmdCPU is timeCmd that also returns each run's CPU time.
func timeCmdCPU(n int, env []string, name string, args ...string) ([]time.Duration, []time.Duration, error) {
	var out, cpu []time.Duration
	for i := 0; i <= n; i++ {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		t := time.Now()
		b, err := cmd.CombinedOutput()
		d := time.Since(t)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %v: %w: %s", name, args, err, b)
		}
		if i > 0 || n == 0 {
			out = append(out, d)
			cpu = append(cpu, procCPU(cmd))
		}
	}
	return out, cpu, nil
}
