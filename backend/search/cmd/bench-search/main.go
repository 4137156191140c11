// Command bench-search measures Tidings search on a generated corpus: it
// writes N messages straight into a store, times typical queries in process
// (p50/p95), pages views at depth, times `tidings search` as a terminal
// command, and, where notmuch is installed, compares the same kinds of query
// against `notmuch search --limit=50` on a Maildir of M messages, in the same
// run, net of each program's bare start-up. Not a test: it prints figures.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"tidings/backend/search"
	"tidings/backend/store"
)

func main() {
	n := flag.Int("n", 100000, "messages in the main corpus")
	m := flag.Int("notmuch", 20000, "messages in the corpus compared with notmuch (0: skip)")
	dir := flag.String("dir", "", "work directory (default: a temp dir, removed afterwards)")
	out := flag.String("out", "", "also write the figures table to this file")
	bin := flag.String("bin", "", "tidings binary to time as a terminal command, as users run it (default: skip)")
	cli := flag.String("cli", "", "a second tidings binary to time, e.g. built without the window (no GTK)")
	reps := flag.Int("reps", 3, "rounds over each query set")
	flag.BoolVar(&reuse, "reuse", false, "reuse stores and the notmuch index left in -dir by an earlier run of the same sizes")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the in-process queries to this file")
	flag.BoolVar(&queriesOnly, "queries-only", false, "time only the in-process queries (no paging, terminal or notmuch)")
	flag.BoolVar(&verbose, "v", false, "print the queries of each set")
	flag.Parse()
	var bins []string
	for _, b := range []string{*bin, *cli} {
		if b != "" {
			bins = append(bins, b)
		}
	}
	if err := run(*n, *m, *dir, *out, bins, *reps); err != nil {
		fmt.Fprintln(os.Stderr, "bench-search:", err)
		os.Exit(1)
	}
}

// reuse skips building what an earlier run left in the work directory.
var reuse bool

// Investigation flags: a CPU profile of the in-process queries, only those
// queries, and the queries themselves.
var (
	cpuProfile  string
	queriesOnly bool
	verbose     bool
)

// report collects the figures table.
type report struct {
	w     io.Writer
	lines []string
}

func (r *report) printf(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	r.lines = append(r.lines, s)
	fmt.Fprint(r.w, s)
}

func run(n, m int, dir, out string, bins []string, reps int) error {
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "bench-search-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	r := &report{w: os.Stdout}
	r.printf("Tidings search benchmark, %s, %d CPUs, GOMAXPROCS %d\n", time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	mainDir := filepath.Join(dir, fmt.Sprintf("tidings-%d", n))
	c, st, err := build(ctx, r, mainDir, n, 1)
	if err != nil {
		return err
	}
	r.printf("\n== In process, %d messages, %d conversations (p50 / p95 over %d runs of each set) ==\n", n, len(c.convs), reps)
	r.printf("%-34s %9s %9s %9s %7s  %s\n", "query", "p50 ms", "p95 ms", "cpu p50", "hits", "plan")
	qs := querySets(c)
	s := search.New(st, nil)
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	for _, set := range qs {
		if verbose {
			r.printf("  %s: %q\n", set.name, set.queries)
		}
		samples, hits, plan, err := timeSearch(ctx, s, set.queries, reps, search.Newest)
		if err != nil {
			return fmt.Errorf("%s: %w", set.name, err)
		}
		r.printf("%-34s %9.2f %9.2f %9.2f %7d  %s\n", set.name, ms(pct(samples, 50)), ms(pct(samples, 95)), ms(pct(lastCPU, 50)), hits, plan)
	}
	for _, set := range qs[:3] {
		samples, hits, plan, err := timeSearch(ctx, s, set.queries, reps, search.Relevance)
		if err != nil {
			return err
		}
		r.printf("%-34s %9.2f %9.2f %9.2f %7d  %s\n", set.name+", by relevance", ms(pct(samples, 50)), ms(pct(samples, 95)), ms(pct(lastCPU, 50)), hits, plan)
	}
	if queriesOnly {
		return st.Close()
	}
	if err := pageViews(ctx, r, st, c, s, qs); err != nil {
		return err
	}
	if len(bins) > 0 {
		if err := terminal(r, bins, mainDir, qs, reps); err != nil {
			return err
		}
	}
	st.Close()
	if m > 0 {
		if _, err := exec.LookPath("notmuch"); err != nil {
			r.printf("\nnotmuch is not installed: comparison skipped (apt-get install notmuch)\n")
		} else if err := compareNotmuch(ctx, r, dir, m, bins, reps); err != nil {
			return err
		}
	}
	if out != "" {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, []byte(strings.Join(r.lines, "")), 0o644)
	}
	return nil
}

// build generates a corpus and loads it into a new store in dir.
func build(ctx context.Context, r *report, dir string, n int, seed int64) (*corpus, *store.Store, error) {
	t0 := time.Now()
	c := generate(n, seed)
	gen := time.Since(t0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	_, statErr := os.Stat(store.Path(dir))
	st, err := store.Open(ctx, store.Path(dir), nil)
	if err != nil {
		return nil, nil, err
	}
	if reuse && statErr == nil {
		var have int
		if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&have); err == nil && have == n {
			merge, err := mergeIndex(ctx, st)
			if err != nil {
				st.Close()
				return nil, nil, err
			}
			r.printf("corpus: %d messages, %d conversations, %d customers; store reused from an earlier run (index merged in %.1fs)\n",
				n, len(c.convs), len(c.customers), merge.Seconds())
			return c, st, nil
		}
	}
	t1 := time.Now()
	last := time.Now()
	err = c.load(ctx, st, func(done int) {
		if time.Since(last) > 10*time.Second {
			fmt.Fprintf(os.Stderr, "  loaded %d/%d messages (%.0f/s)\n", done, n, float64(done)/time.Since(t1).Seconds())
			last = time.Now()
		}
	})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	load := time.Since(t1)
	merge, err := mergeIndex(ctx, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	fi, _ := os.Stat(store.Path(dir))
	var size int64
	if fi != nil {
		size = fi.Size()
	}
	r.printf("corpus: %d messages, %d conversations, %d customers; generated in %.1fs, loaded in %.1fs (%.0f msg/s), index merged in %.1fs, store %d MB\n",
		n, len(c.convs), len(c.customers), gen.Seconds(), load.Seconds(), float64(n)/load.Seconds(), merge.Seconds(), size>>20)
	return c, st, nil
}

// mergeIndex merges the full-text index's segments to one, as `tidings
// import` does after a bulk load and the window's upkeep does in the
// background: the bench measures the index as it stands in use, not as a
// bulk load leaves it.
func mergeIndex(ctx context.Context, st *store.Store) (time.Duration, error) {
	t := time.Now()
	for {
		rep, err := st.MergeFTS(ctx, nil)
		if err != nil {
			return 0, err
		}
		if rep.Done {
			return time.Since(t), nil
		}
	}
}

// querySet is a kind of query with several instances.
type querySet struct {
	name    string
	queries []string
	// notmuch holds the same queries in notmuch's syntax.
	notmuch []string
}

// querySets picks words by how many messages contain them.
func querySets(c *corpus) []querySet {
	n := len(c.msgs)
	type wdf struct{ w, df int }
	ws := make([]wdf, len(c.df))
	for i, d := range c.df {
		ws[i] = wdf{i, d}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].df > ws[j].df || (ws[i].df == ws[j].df && ws[i].w < ws[j].w) })
	near := func(target, k int) []int {
		i := sort.Search(len(ws), func(i int) bool { return ws[i].df <= target })
		if i+k > len(ws) {
			i = len(ws) - k
		}
		out := make([]int, k)
		for j := range out {
			out[j] = ws[i+j].w
		}
		return out
	}
	mean := func(ws []int) int {
		t := 0
		for _, w := range ws {
			t += c.df[w]
		}
		return t / max(len(ws), 1)
	}
	var rare, mid, two, from, common querySet
	rw := near(10, 8)
	rare.name = fmt.Sprintf("rarest words (%d msgs)", mean(rw))
	for _, w := range rw {
		rare.add(c.vocab[w], c.vocab[w])
	}
	mw := near(n/200, 8)
	mid.name = fmt.Sprintf("mid word (%d msgs)", mean(mw))
	for _, w := range mw {
		mid.add(c.vocab[w], c.vocab[w])
	}
	pair := near(n/30, 16)
	two.name = fmt.Sprintf("two words (%d msgs each)", mean(pair))
	for i := 0; i < 16; i += 2 {
		a, b := c.vocab[pair[i]], c.vocab[pair[i+1]]
		two.add(a+" "+b, a+" AND "+b)
	}
	type cf struct{ c, k int }
	top := make([]cf, len(c.fromCount))
	for i, k := range c.fromCount {
		top[i] = cf{i, k}
	}
	sort.Slice(top, func(i, j int) bool { return top[i].k > top[j].k })
	fw := near(n/20, 8)
	from.name = fmt.Sprintf("from:top sender + word (%d msgs)", mean(fw))
	for i := 0; i < 8; i++ {
		addr := c.customers[top[i].c].Address
		from.add("from:"+addr+" "+c.vocab[fw[i]], "from:"+addr+" AND "+c.vocab[fw[i]])
	}
	common.name = fmt.Sprintf("most common word (%d%% of msgs)", 100*ws[0].df/max(n, 1))
	for i := 0; i < 4; i++ {
		common.add(c.vocab[ws[i].w], c.vocab[ws[i].w])
	}
	return []querySet{rare, mid, two, from, common}
}

func (q *querySet) add(tidings, notmuch string) {
	q.queries = append(q.queries, tidings)
	q.notmuch = append(q.notmuch, notmuch)
}

// cpuTime is the CPU this process has used (user and system): on a
// machine shared with other work, a query's CPU time says what it costs
// when its wall time also counts the waits for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lastCPU holds the CPU time samples of the last timeSearch.
var lastCPU []time.Duration

// timeSearch runs each query once to warm up, then reps times.
func timeSearch(ctx context.Context, s *search.Searcher, qs []string, reps int, order search.Order) ([]time.Duration, int, string, error) {
	var samples []time.Duration
	lastCPU = lastCPU[:0]
	hits := 0
	plans := map[string]bool{}
	for round := 0; round <= reps; round++ {
		for _, q := range qs {
			t, c := time.Now(), cpuTime()
			res, err := s.Search(ctx, search.Request{Query: q, Limit: 50, Order: order})
			d, dc := time.Since(t), cpuTime()-c
			if err != nil {
				return nil, 0, "", fmt.Errorf("%q: %w", q, err)
			}
			if round > 0 {
				samples = append(samples, d)
				lastCPU = append(lastCPU, dc)
			} else {
				hits += len(res.Hits)
				plans[res.Plan] = true
			}
		}
	}
	var ps []string
	for p := range plans {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return samples, hits / max(len(qs), 1), strings.Join(ps, "+"), nil
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i > 0 {
		i--
	}
	return s[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
