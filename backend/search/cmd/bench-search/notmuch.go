package main

import (
	"bufio"
	"context"
	"fmt"
	"mime"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/search"
	"tidings/backend/store"
)

// compareNotmuch builds one corpus of m messages twice, as a Tidings store
// and as a Maildir indexed by `notmuch new`, and times the same kinds of
// query in both, each as a separate process, net of bare start-up.
func compareNotmuch(ctx context.Context, r *report, dir string, m int, bins []string, reps int) error {
	r.printf("\n== Against notmuch, one corpus of %d messages in both ==\n", m)
	tdir := filepath.Join(dir, fmt.Sprintf("tidings-%d", m))
	c, st, err := build(ctx, r, tdir, m, 2)
	if err != nil {
		return err
	}
	defer st.Close()
	root := filepath.Join(dir, "maildir")
	cfg := filepath.Join(dir, "notmuch-config")
	env := []string{"NOTMUCH_CONFIG=" + cfg}
	if _, err := os.Stat(filepath.Join(root, ".notmuch")); reuse && err == nil {
		r.printf("maildir and notmuch index reused from an earlier run\n")
		return notmuchQueries(ctx, r, c, st, tdir, env, bins, reps)
	}
	os.RemoveAll(root)
	t0 := time.Now()
	if err := c.writeMaildir(root); err != nil {
		return err
	}
	r.printf("maildir written in %.1fs\n", time.Since(t0).Seconds())
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`[database]
path=%s
[user]
name=Bench
primary_email=%s
[new]
tags=inbox;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
`, root, shop.Address)), 0o644); err != nil {
		return err
	}
	t1 := time.Now()
	cmd := exec.Command("notmuch", "new", "--quiet")
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("notmuch new: %w: %s", err, b)
	}
	idx := time.Since(t1)
	r.printf("notmuch new: %.1fs (%.0f msg/s; parses MIME, which the Tidings bulk load does not)\n", idx.Seconds(), float64(m)/idx.Seconds())
	return notmuchQueries(ctx, r, c, st, tdir, env, bins, reps)
}

// notmuchQueries times the query sets in notmuch and in each tidings binary.
func notmuchQueries(ctx context.Context, r *report, c *corpus, st *store.Store, tdir string, env, bins []string, reps int) error {

	nmStart, nmStartCPU, err := timeCmdCPU(reps*4, env, "notmuch", "--version")
	if err != nil {
		return err
	}
	r.printf("bare start-up p50 (wall / CPU): notmuch %.1f / %.1f ms", ms(pct(nmStart, 50)), ms(pct(nmStartCPU, 50)))
	for _, b := range bins {
		st, stCPU, err := timeCmdCPU(reps*4, nil, b, "--version")
		if err != nil {
			return err
		}
		r.printf(", %s %.1f / %.1f ms", filepath.Base(b), ms(pct(st, 50)), ms(pct(stCPU, 50)))
	}
	r.printf("\nnet: notmuch = median of (query process - bare start-up process run just before it); tidings = the time the command reports once started (--timing)\n")
	r.printf("%-32s %9s %9s", "query", "nm p50", "nm net")
	for _, b := range bins {
		name := filepath.Base(b)
		r.printf(" %14s %14s %7s", name+" p50", name+" net", "ratio")
	}
	r.printf(" %9s %7s\n", "in-proc", "ratio")
	s := search.New(st, nil)
	var cpuLines []string
	for _, set := range querySets(c) {
		var nm, nmNet, nmCPU []time.Duration
		qs := set.queries[:min(4, len(set.queries))]
		for i := range qs {
			wall, diff, cpuDiff, err := timePaired(reps, env, []string{"notmuch", "--version"}, []string{"notmuch", "search", "--limit=50", set.notmuch[i]})
			if err != nil {
				return err
			}
			nm, nmNet, nmCPU = append(nm, wall...), append(nmNet, diff...), append(nmCPU, cpuDiff...)
		}
		nmN, nmC := pct(nmNet, 50), pct(nmCPU, 50)
		r.printf("%-32s %9.1f %9.1f", set.name, ms(pct(nm, 50)), ms(nmN))
		cpuLine := fmt.Sprintf("%-32s %9.1f", set.name, ms(nmC))
		for _, b := range bins {
			var td, tdNet, tdCPU []time.Duration
			for i := range qs {
				wall, inCmd, cpu, err := timeTidings(reps, b, tdir, qs[i])
				if err != nil {
					return err
				}
				td, tdNet = append(td, wall...), append(tdNet, inCmd...)
				tdCPU = append(tdCPU, cpu...)
			}
			tdN, tdC := pct(tdNet, 50), pct(tdCPU, 50)
			r.printf(" %14.1f %14.1f %7s", ms(pct(td, 50)), ms(tdN), ratio(nmN, tdN))
			cpuLine += fmt.Sprintf(" %14.1f %7s", ms(tdC), ratio(nmC, tdC))
		}
		inproc, _, _, err := timeSearch(ctx, s, set.queries, reps, search.Newest)
		if err != nil {
			return err
		}
		inCPU := pct(lastCPU, 50)
		r.printf(" %9.2f %7s\n", ms(pct(inproc, 50)), ratio(nmN, pct(inproc, 50)))
		cpuLines = append(cpuLines, cpuLine+fmt.Sprintf(" %9.2f %7s\n", ms(inCPU), ratio(nmC, inCPU)))
	}
	r.printf("ratio = notmuch net / tidings net: how many times less Tidings spends on the query beyond start-up (>1: Tidings faster)\n")
	r.printf("\nThe same in CPU time, which waiting for a core on a loaded machine does not inflate: notmuch = median of (query process CPU -\n")
	r.printf("CPU of the --version process run just before it); tidings = the CPU time the command reports once started (--timing)\n")
	r.printf("%-32s %9s", "query", "nm cpu")
	for _, b := range bins {
		r.printf(" %14s %7s", filepath.Base(b)+" cpu", "ratio")
	}
	r.printf(" %9s %7s\n", "in-proc", "ratio")
	for _, l := range cpuLines {
		r.printf("%s", l)
	}
	return nil
}

func ratio(a, b time.Duration) string {
	if a <= 0 {
		return "n/a"
	}
	if b < 100*time.Microsecond {
		b = 100 * time.Microsecond
	}
	return fmt.Sprintf("%.1fx", float64(a)/float64(b))
}

// writeMaildir writes every message as a plain-text RFC 5322 file.
func (c *corpus) writeMaildir(root string) error {
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return err
		}
	}
	addr := func(a inbox.Address) string { return mime.QEncoding.Encode("utf-8", a.Name) + " <" + a.Address + ">" }
	for i := range c.msgs {
		m := &c.msgs[i]
		cv := c.convs[m.conv]
		from, to := c.customers[cv.customer], shop
		if m.out {
			from, to = shop, c.customers[cv.customer]
		}
		f, err := os.Create(filepath.Join(root, "cur", fmt.Sprintf("%d.%d.bench:2,S", m.at.Unix(), i)))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		fmt.Fprintf(w, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n", addr(from), addr(to), m.subject, m.at.Format(time.RFC1123Z), m.msgID)
		if m.replyTo != "" {
			fmt.Fprintf(w, "In-Reply-To: %s\r\nReferences: %s\r\n", m.replyTo, m.replyTo)
		}
		fmt.Fprintf(w, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", m.body)
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
