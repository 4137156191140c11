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
)

// compareNotmuch builds one corpus of m messages twice, as a Tidings store
// and as a Maildir indexed by `notmuch new`, and times the same kinds of
// query in both, each as a separate process, net of bare start-up.
func compareNotmuch(ctx context.Context, r *report, dir string, m int, bin string, reps int) error {
	r.printf("\n== Against notmuch, one corpus of %d messages in both ==\n", m)
	tdir := filepath.Join(dir, fmt.Sprintf("tidings-%d", m))
	c, st, err := build(ctx, r, tdir, m, 2)
	if err != nil {
		return err
	}
	defer st.Close()
	root := filepath.Join(dir, "maildir")
	t0 := time.Now()
	if err := c.writeMaildir(root); err != nil {
		return err
	}
	r.printf("maildir written in %.1fs\n", time.Since(t0).Seconds())
	cfg := filepath.Join(dir, "notmuch-config")
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
	env := []string{"NOTMUCH_CONFIG=" + cfg}
	t1 := time.Now()
	cmd := exec.Command("notmuch", "new", "--quiet")
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("notmuch new: %w: %s", err, b)
	}
	idx := time.Since(t1)
	r.printf("notmuch new: %.1fs (%.0f msg/s; parses MIME, which the Tidings bulk load does not)\n", idx.Seconds(), float64(m)/idx.Seconds())

	nmStart, err := timeCmd(reps*4, env, "notmuch", "--version")
	if err != nil {
		return err
	}
	var tdStart []time.Duration
	if bin != "" {
		if tdStart, err = timeCmd(reps*4, nil, bin, "--version"); err != nil {
			return err
		}
	}
	r.printf("bare start-up p50: notmuch %.1f ms, tidings %.1f ms\n", ms(pct(nmStart, 50)), ms(pct(tdStart, 50)))
	r.printf("%-32s %10s %10s %10s %10s %8s %10s\n", "query (p50 per process)", "notmuch", "tidings", "nm net", "td net", "ratio", "td in-proc")
	s := search.New(st, nil)
	for _, set := range querySets(c) {
		var nm, td []time.Duration
		for i := range set.queries[:min(4, len(set.queries))] {
			d, err := timeCmd(reps, env, "notmuch", "search", "--limit=50", set.notmuch[i])
			if err != nil {
				return err
			}
			nm = append(nm, d...)
			if bin != "" {
				d, err := timeCmd(reps, nil, bin, "--data", tdir, "search", set.queries[i], "--limit", "50")
				if err != nil {
					return err
				}
				td = append(td, d...)
			}
		}
		inproc, _, _, err := timeSearch(ctx, s, set.queries, reps, search.Newest)
		if err != nil {
			return err
		}
		nmNet := pct(nm, 50) - pct(nmStart, 50)
		tdNet := pct(td, 50) - pct(tdStart, 50)
		ratio := "-"
		if bin != "" && tdNet > 0 {
			ratio = fmt.Sprintf("%.1fx", float64(nmNet)/float64(tdNet))
		} else if bin == "" {
			tdNet = pct(inproc, 50)
			ratio = fmt.Sprintf("%.1fx", float64(nmNet)/float64(max(tdNet, time.Microsecond)))
		}
		r.printf("%-32s %8.1fms %8.1fms %8.1fms %8.1fms %8s %8.2fms\n", set.name, ms(pct(nm, 50)), ms(pct(td, 50)), ms(nmNet), ms(tdNet), ratio, ms(pct(inproc, 50)))
	}
	r.printf("ratio = notmuch net / tidings net (query cost beyond each program's bare start-up; >1 means Tidings is faster)\n")
	return nil
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
