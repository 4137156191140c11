// Command benchemail measures Tidings' email sync against a real Dovecot on
// loopback, beside the local-first pipeline people run today (mbsync with
// its default settings, then `mu index`), in the same run on the same
// corpus. It prints one table of figures. scripts/bench-email.sh runs it.
//
//	benchemail -n 20000 [-dir DIR] [-keep]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/syncer"
)

const (
	user = "owner@shop.example"
	pass = "bench-pass"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		os.Exit(child(os.Args[2:]))
	}
	n := flag.Int("n", 2000, "messages in the corpus")
	dir := flag.String("dir", "", "work directory (default: a new temporary one)")
	keep := flag.Bool("keep", false, "keep the work directory")
	rtt := flag.Duration("rtt", 50*time.Millisecond, "round-trip delay for the proxy run (0 skips it)")
	compare := flag.Bool("compare", true, "also time mbsync + mu index")
	flag.Parse()
	if err := run(*n, *dir, *keep, *rtt, *compare); err != nil {
		fmt.Fprintln(os.Stderr, "benchemail:", err)
		os.Exit(1)
	}
}

func run(n int, dir string, keep bool, rtt time.Duration, compare bool) error {
	var err error
	if dir == "" {
		if dir, err = os.MkdirTemp("", "benchemail-"); err != nil {
			return err
		}
	}
	if !keep {
		defer os.RemoveAll(dir)
	}
	fmt.Printf("work directory %s\n", dir)
	dove, err := dovetest.StartDir(filepath.Join(dir, "dovecot"), map[string]string{user: pass})
	if err != nil {
		return err
	}
	defer dove.Stop()
	t0 := time.Now()
	st, err := writeCorpus(dove, n)
	if err != nil {
		return err
	}
	if _, err := dove.Doveadm(nil, "index", "-u", user, "INBOX"); err != nil {
		return err
	}
	fmt.Printf("corpus: %d messages, %.0f MB, %.1f KB average, %.0f%% with attachments (written and indexed by Dovecot in %.1f s)\n",
		n, float64(st.bytes)/1e6, float64(st.bytes)/float64(n)/1e3, 100*float64(st.withAtt)/float64(n), time.Since(t0).Seconds())

	// 1. The loopback ceiling: go-imap fetching every message, storing nothing.
	ceiling, err := fetchOnly(dove.Addr, n)
	if err != nil {
		return err
	}
	// 2. Tidings: a full sync into a new store, then syncs with nothing new.
	full, err := tidingsChild(dir, "full", dove.Addr)
	if err != nil {
		return err
	}
	// 3. Tidings through a proxy that adds round-trip delay.
	var slow *childResult
	if rtt > 0 {
		px, err := startDelayProxy(dove.Addr, rtt/2)
		if err != nil {
			return err
		}
		slow, err = tidingsChild(dir, "rtt", px)
		if err != nil {
			return err
		}
	}
	// 4. mbsync (default settings, FSync yes) then mu index.
	var mb, mu timed
	if compare {
		if mb, mu, err = mbsyncMu(dir, dove.Addr); err != nil {
			return err
		}
	}

	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	fmt.Println()
	fmt.Printf("%-44s %10s %10s %10s\n", "step", "seconds", "msg/s", "peak RSS")
	fmt.Printf("%-44s %10.2f %10.0f %10s\n", "go-imap fetch only (loopback ceiling)", ceiling.Seconds(), rate(ceiling), "-")
	fmt.Printf("%-44s %10.2f %10.0f %9.0fM\n", "tidings full sync (parse + SQLite + FTS5)", full.Full.Seconds(), rate(full.Full), full.RSSMB)
	if slow != nil {
		fmt.Printf("%-44s %10.2f %10.0f %9.0fM\n", fmt.Sprintf("tidings full sync, %v RTT proxy", rtt), slow.Full.Seconds(), rate(slow.Full), slow.RSSMB)
	}
	if compare {
		fmt.Printf("%-44s %10.2f %10.0f %9.0fM\n", "mbsync 1.4 default (FSync yes)", mb.d.Seconds(), rate(mb.d), mb.rss)
		fmt.Printf("%-44s %10.2f %10.0f %9.0fM\n", "mu index on mbsync's Maildir", mu.d.Seconds(), rate(mu.d), mu.rss)
		pipe := mb.d + mu.d
		fmt.Printf("%-44s %10.2f %10.0f %10s\n", "mbsync + mu index", pipe.Seconds(), rate(pipe), "-")
		fmt.Println()
		fmt.Printf("tidings vs mbsync+mu: %.2fx faster\n", pipe.Seconds()/full.Full.Seconds())
	}
	fmt.Printf("tidings CPU per message (user+system, whole child): %.2f ms; wall / go-imap ceiling: %.1fx\n",
		full.CPU.Seconds()*1000/float64(n), full.Full.Seconds()/ceiling.Seconds())
	fmt.Printf("tidings SQLite writer thread CPU per message: %.2f ms; writer idle (waiting for parsed batches) %.1f s, parsed batches waiting for the writer %.1f s\n",
		full.WriterCPU.Seconds()*1000/float64(n), full.WriterIdle.Seconds(), full.FetchBlocked.Seconds())
	fmt.Printf("search index after the sync: %d segments; one merge after it (off the sync's clock): %.2f s, %d left\n",
		full.Segments, full.Merge.Seconds(), full.Merged)
	fmt.Printf("tidings first 1,000 newest stored (listable) after: %.0f ms\n", full.First1000.Seconds()*1000)
	fmt.Printf("tidings sync with nothing new (connect, login, 3 folders): median %.1f ms of %d runs %v\n", median(full.Noop).Seconds()*1000, len(full.Noop), msList(full.Noop))
	if slow != nil {
		fmt.Printf("tidings at %v RTT / loopback rate: %.2f\n", rtt, full.Full.Seconds()/slow.Full.Seconds())
	}
	fmt.Printf("messages stored: %d (want %d)\n", full.Stored, n)
	if full.Stored != n {
		return fmt.Errorf("stored %d of %d messages", full.Stored, n)
	}
	return nil
}

// corpusStats describes the generated corpus.
type corpusStats struct {
	bytes   int64
	withAtt int
}

// writeCorpus writes n messages into the INBOX Maildir, oldest first.
func writeCorpus(dove *dovetest.Server, n int) (corpusStats, error) {
	var st corpusStats
	newDir := filepath.Join(dove.Maildir(user, "INBOX"), "new")
	for _, d := range []string{newDir, filepath.Join(dove.Maildir(user, "INBOX"), "cur"), filepath.Join(dove.Maildir(user, "INBOX"), "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return st, err
		}
	}
	g := newGen(1)
	base := time.Now().Unix() - int64(n)
	for i := 0; i < n; i++ {
		raw, att := g.message(i)
		if att {
			st.withAtt++
		}
		st.bytes += int64(len(raw))
		name := fmt.Sprintf("%d.M%06dP1.bench:2,", base+int64(i), i)
		p := filepath.Join(newDir, name)
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			return st, err
		}
		mt := time.Unix(base+int64(i), 0)
		os.Chtimes(p, mt, mt)
	}
	out, err := exec.Command("chown", "-R", "mail:mail", filepath.Join(dove.Dir, "mail")).CombinedOutput()
	if err != nil {
		return st, fmt.Errorf("chown: %v: %s", err, out)
	}
	return st, nil
}

// fetchOnly downloads every message in 500-UID ranges and discards it.
func fetchOnly(addr string, n int) (time.Duration, error) {
	ctx := context.Background()
	start := time.Now()
	sess, err := email.Connect(ctx, cfgFor(addr), email.Auth{Password: pass}, nil)
	if err != nil {
		return 0, err
	}
	defer sess.Close()
	if _, err := sess.Select(ctx, "INBOX"); err != nil {
		return 0, err
	}
	uids, err := sess.UIDs(ctx)
	if err != nil {
		return 0, err
	}
	var batches [][]uint32
	for i := 0; i < len(uids); i += 500 {
		batches = append(batches, uids[i:min(i+500, len(uids))])
	}
	got := 0
	err = sess.Fetch(ctx, batches, func(b []email.Fetched) error { got += len(b); return nil })
	if got != n {
		return 0, fmt.Errorf("fetch only: got %d of %d", got, n)
	}
	return time.Since(start), err
}

func cfgFor(addr string) email.Config {
	h, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	return email.Config{Address: user, IMAPHost: h, IMAPPort: port, IMAPSecurity: email.None, SMTPHost: h, SMTPPort: 1, SMTPSecurity: email.None}
}

// childResult is what the child process reports.
type childResult struct {
	Full      time.Duration   `json:"full"`
	First1000 time.Duration   `json:"first1000"`
	Noop      []time.Duration `json:"noop"`
	Stored    int             `json:"stored"`
	RSSMB     float64         `json:"-"`
	// CPU is the child's user+system time (the whole run, no-op syncs
	// included): unlike wall time it hardly depends on other load.
	CPU time.Duration `json:"-"`
	// WriterCPU is the SQLite writer thread's own CPU time in the bulk
	// download; WriterIdle its wait for parsed batches, FetchBlocked the
	// parsed batches' wait for it (the syncer's "pipeline" log record).
	WriterCPU    time.Duration `json:"writer_cpu"`
	WriterIdle   time.Duration `json:"writer_idle"`
	FetchBlocked time.Duration `json:"fetch_blocked"`
	// Segments counts the search index's segments when the sync returned
	// (it defers merging them); Merge is the one MergeFTS after it, off
	// the sync's clock, and Merged the segments left.
	Segments int           `json:"segments"`
	Merge    time.Duration `json:"merge"`
	Merged   int           `json:"merged"`
}

// pipelineCapture sums the syncer's "pipeline" debug records and passes
// every record on to next.
type pipelineCapture struct {
	next                                slog.Handler
	writerCPU, writerIdle, fetchBlocked time.Duration
}

func (h *pipelineCapture) Enabled(context.Context, slog.Level) bool { return true }
func (h *pipelineCapture) WithAttrs(as []slog.Attr) slog.Handler    { return h }
func (h *pipelineCapture) WithGroup(string) slog.Handler            { return h }
func (h *pipelineCapture) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "pipeline" {
		var msgs int64
		var cpuPer float64
		r.Attrs(func(a slog.Attr) bool {
			switch a.Key {
			case "messages":
				msgs = a.Value.Int64()
			case "writer_cpu_us_per_msg":
				cpuPer = a.Value.Float64()
			case "writer_idle":
				h.writerIdle += a.Value.Duration()
			case "fetch_blocked_on_writer":
				h.fetchBlocked += a.Value.Duration()
			}
			return true
		})
		h.writerCPU += time.Duration(cpuPer * float64(msgs) * float64(time.Microsecond))
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

// tidingsChild runs the sync in a child process, so its peak RSS is its own.
func tidingsChild(dir, name, addr string) (*childResult, error) {
	storePath := filepath.Join(dir, "tidings-"+name, "tidings.db")
	os.MkdirAll(filepath.Dir(storePath), 0o700)
	self, _ := os.Executable()
	cmd := exec.Command(self, "child", storePath, addr)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("tidings sync (%s): %w", name, err)
	}
	var r childResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("tidings sync (%s): %w: %s", name, err, out.String())
	}
	r.RSSMB = rssMB(cmd.ProcessState)
	r.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return &r, nil
}

func rssMB(ps *os.ProcessState) float64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return 0
}

// child: open a new store, add the account, sync fully, then sync again
// five times with nothing new.
func child(args []string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, args[0], nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: "Bench", Address: user, Config: cfgFor(args[1]).JSON()}
	if err := st.CreateAccount(ctx, &acct); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if p := os.Getenv("BENCH_CPUPROFILE"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var r childResult
	start := time.Now()
	var once sync.Once
	var next slog.Handler = slog.DiscardHandler
	if os.Getenv("BENCH_TRACE") != "" {
		next = slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	pipe := &pipelineCapture{next: next}
	logger := slog.New(pipe)
	batchMsgs, _ := strconv.Atoi(os.Getenv("BENCH_BATCH_MESSAGES"))
	batchMiB, _ := strconv.Atoi(os.Getenv("BENCH_BATCH_MIB"))
	headsFirst, _ := strconv.Atoi(os.Getenv("BENCH_HEADERS_FIRST")) // -1: off
	sy := syncer.New(st, &syncer.Options{
		BatchMessages: batchMsgs,
		BatchBytes:    int64(batchMiB) << 20,
		HeadersFirst:  headsFirst,
		Log:           logger,
		Auth: func(context.Context, inbox.Account, email.Config) (email.Auth, error) {
			return email.Auth{Password: pass}, nil
		},
		OnChange: func(string) {
			if r.First1000 != 0 {
				return
			}
			var c int
			st.DB().QueryRow(`SELECT count(*) FROM messages`).Scan(&c)
			if os.Getenv("BENCH_TRACE") != "" {
				logger.Debug("stored", "messages", c, "at", time.Since(start))
			}
			if c >= 1000 {
				once.Do(func() { r.First1000 = time.Since(start) })
			}
		},
	})
	if _, err := sy.SyncAccount(ctx, acct); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r.Full = time.Since(start)
	if r.Segments, err = st.FTSSegments(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	m0 := time.Now()
	if _, err := st.MergeFTS(ctx, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r.Merge = time.Since(m0)
	if r.Merged, err = st.FTSSegments(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; i < 5; i++ {
		s := time.Now()
		rep, err := sy.SyncAccount(ctx, acct)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if rep.New() != 0 {
			fmt.Fprintln(os.Stderr, "no-op sync found new messages")
			return 1
		}
		r.Noop = append(r.Noop, time.Since(s))
	}
	st.DB().QueryRow(`SELECT count(*) FROM messages`).Scan(&r.Stored)
	r.WriterCPU, r.WriterIdle, r.FetchBlocked = pipe.writerCPU, pipe.writerIdle, pipe.fetchBlocked
	json.NewEncoder(os.Stdout).Encode(r)
	return 0
}

type timed struct {
	d   time.Duration
	rss float64
}

// mbsyncMu runs mbsync with default settings into a new Maildir, then
// indexes it with mu, timing each.
func mbsyncMu(dir, addr string) (timed, timed, error) {
	h, p, _ := net.SplitHostPort(addr)
	md := filepath.Join(dir, "mbsync-maildir")
	os.MkdirAll(md, 0o700)
	conf := filepath.Join(dir, "mbsyncrc")
	rc := fmt.Sprintf(`IMAPAccount bench
Host %s
Port %s
User %s
Pass %s
SSLType None
AuthMechs LOGIN

IMAPStore bench-remote
Account bench

MaildirStore bench-local
Path %s/
Inbox %s/INBOX

Channel bench
Far :bench-remote:
Near :bench-local:
Patterns INBOX
Create Near
SyncState *
`, h, p, user, pass, md, md)
	if err := os.WriteFile(conf, []byte(rc), 0o600); err != nil {
		return timed{}, timed{}, err
	}
	mb, err := timeCmd("mbsync", "-q", "-c", conf, "-a")
	if err != nil {
		return timed{}, timed{}, err
	}
	muhome := filepath.Join(dir, "mu")
	if _, err := timeCmd("mu", "init", "--muhome="+muhome, "--maildir="+md); err != nil {
		return timed{}, timed{}, err
	}
	mu, err := timeCmd("mu", "index", "--muhome="+muhome, "--quiet")
	return mb, mu, err
}

func timeCmd(name string, args ...string) (timed, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return timed{}, fmt.Errorf("%s: %w: %s", name, err, out.String())
	}
	return timed{d: time.Since(start), rss: rssMB(cmd.ProcessState)}, nil
}

// startDelayProxy forwards to upstream, delaying every chunk by oneWay in
// each direction (so a round trip costs twice that), keeping order.
func startDelayProxy(upstream string, oneWay time.Duration) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			go delayCopy(u, c, oneWay)
			go delayCopy(c, u, oneWay)
		}
	}()
	return l.Addr().String(), nil
}

func delayCopy(dst, src net.Conn, d time.Duration) {
	type chunk struct {
		at time.Time
		b  []byte
	}
	ch := make(chan chunk, 4096)
	go func() {
		defer dst.Close()
		for c := range ch {
			time.Sleep(time.Until(c.at))
			if _, err := dst.Write(c.b); err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			ch <- chunk{at: time.Now().Add(d), b: append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			close(ch)
			return
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func msList(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.1f", d.Seconds()*1000))
	}
	return "[" + strings.Join(parts, " ") + "] ms"
}
