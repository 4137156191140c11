// Command benchexport measures Tidings' import and export speed: it writes a
// Maildir of N generated messages (threads, Cyrillic and CJK text, some
// attachments), imports it into a new store with the importer (msg/s), then
// exports every message to mbox (seconds, MB/s) and checks the count. Run it
// through scripts/bench-export.sh.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"tidings/backend/export"
	"tidings/backend/export/importer"
	"tidings/backend/store"
)

func main() {
	n := flag.Int("n", 10000, "messages")
	dir := flag.String("dir", "", "work folder (default: a new temporary folder, removed after)")
	runs := flag.Int("runs", 1, "export runs (the median is reported)")
	only := flag.String("only-maildir", "", "just write a Maildir of n messages here, numbered from -start, and exit")
	start := flag.Int("start", 0, "first message number, for -only-maildir")
	flag.StringVar(&importProfile, "import-cpuprofile", "", "write a CPU profile of the first import here")
	flag.StringVar(&exportProfile, "export-cpuprofile", "", "write a CPU profile of the first export here")
	flag.IntVar(&cacheMiB, "cache", 32, "SQLite page cache per connection, MiB")
	flag.IntVar(&batchSize, "batch", 0, "messages per import transaction (0: the importer's default)")
	exportOnly := flag.String("export-only", "", "export the store already in this work folder (from an earlier run) and exit")
	flag.Parse()
	if *exportOnly != "" {
		if err := exportRuns(*exportOnly, *n, *runs); err != nil {
			fmt.Fprintln(os.Stderr, "benchexport:", err)
			os.Exit(1)
		}
		return
	}
	if *only != "" {
		if _, err := writeMaildir(*only, *start, *n); err != nil {
			fmt.Fprintln(os.Stderr, "benchexport:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*n, *dir, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchexport:", err)
		os.Exit(1)
	}
}

// batchSize is importer.Options.BatchSize; cacheMiB store.Options.CacheMiB.
var batchSize, cacheMiB int

// Where CPU profiles go (empty: none).
var importProfile, exportProfile string

// profile starts a CPU profile into path (if set) and returns its stop.
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchexport:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintln(os.Stderr, "benchexport:", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func run(n int, dir string, runs int) error {
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "tidings-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	md := filepath.Join(dir, "Maildir")
	t0 := time.Now()
	size, err := writeMaildir(md, 0, n)
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d messages, %.1f MB in a Maildir (written in %.1f s), GOMAXPROCS %d\n",
		n, float64(size)/1e6, time.Since(t0).Seconds(), runtime.GOMAXPROCS(0))

	st, err := store.Open(ctx, filepath.Join(dir, store.FileName), &store.Options{CacheMiB: cacheMiB})
	if err != nil {
		return err
	}
	defer st.Close()
	t0 = time.Now()
	c0 := cpuTime()
	stop := profile(importProfile)
	sum, err := importer.Import(ctx, st, md, &importer.Options{BatchSize: batchSize})
	stop()
	if err != nil {
		return err
	}
	imp, impCPU := time.Since(t0), cpuTime()-c0
	fmt.Printf("import Maildir: %d imported, %d skipped, %d unreadable, %d conversations in %.2f s = %.0f msg/s (target >= 2,000); CPU %.2f s = %.0f msg per CPU-second\n",
		sum.Imported, sum.Skipped, sum.Unreadable, sum.Conversations, imp.Seconds(), float64(sum.Imported)/imp.Seconds(), impCPU.Seconds(), float64(sum.Imported)/impCPU.Seconds())
	if sum.Imported != n {
		return fmt.Errorf("imported %d of %d", sum.Imported, n)
	}
	// Importing again finds every message already there.
	t0 = time.Now()
	again, err := importer.Import(ctx, st, md, nil)
	if err != nil {
		return err
	}
	fmt.Printf("re-import (all duplicates): %d skipped in %.2f s = %.0f msg/s\n", again.Skipped, time.Since(t0).Seconds(), float64(again.Skipped)/time.Since(t0).Seconds())
	return exportStore(ctx, st, dir, n, runs)
}

// exportRuns exports the store an earlier run left in dir.
func exportRuns(dir string, n, runs int) error {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName), &store.Options{CacheMiB: cacheMiB})
	if err != nil {
		return err
	}
	defer st.Close()
	return exportStore(ctx, st, dir, n, runs)
}

// exportStore exports every message of st to mbox runs times, checks the
// count is n and prints the median.
func exportStore(ctx context.Context, st *store.Store, dir string, n, runs int) error {
	var err error
	var times, cpus []float64
	var res export.Result
	for i := 0; i < runs; i++ {
		out := filepath.Join(dir, fmt.Sprintf("all-%d.mbox", i))
		stop := func() {}
		if i == 0 {
			stop = profile(exportProfile)
		}
		t0, c0 := time.Now(), cpuTime()
		res, err = export.Export(ctx, st, export.Options{Format: export.MBOX, Out: out})
		stop()
		if err != nil {
			return err
		}
		times = append(times, time.Since(t0).Seconds())
		cpus = append(cpus, (cpuTime() - c0).Seconds())
		if err := checkMbox(out, n); err != nil {
			return err
		}
		os.Remove(out)
	}
	sort.Float64s(times)
	sort.Float64s(cpus)
	med := times[len(times)/2]
	fmt.Printf("export mbox: %d messages, %.1f MB in %.2f s (median of %d) = %.0f msg/s, %.0f MB/s (target < 10 s for 100,000); CPU %.2f s\n",
		res.Messages, float64(res.Bytes)/1e6, med, runs, float64(res.Messages)/med, float64(res.Bytes)/1e6/med, cpus[len(cpus)/2])
	return nil
}

// checkMbox counts From_ lines after empty lines.
func checkMbox(path string, want int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	got := bytes.Count(b, []byte("\n\nFrom "))
	if bytes.HasPrefix(b, []byte("From ")) {
		got++
	}
	if got != want {
		return fmt.Errorf("mbox holds %d messages, want %d", got, want)
	}
	return nil
}

var words = strings.Fields(`order parcel delivery helmet brake pads frame size wheel rim warranty invoice payment refund
service booking tuesday morning courier tracking thanks please could would shipping estimate stock colour
заказ доставка спасибо велосипед размер рама оплата サイズ 注文 配送 ありがとう 自転車 フレーム`)

// writeMaildir writes n messages in threads of one to five, as a Maildir.
func writeMaildir(dir string, first, n int) (int64, error) {
	for _, s := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, s), 0o755); err != nil {
			return 0, err
		}
	}
	rng := rand.New(rand.NewSource(1))
	att := make([]byte, 20<<10)
	rng.Read(att)
	attB64 := wrap(base64.StdEncoding.EncodeToString(att))
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	var total int64
	var buf bytes.Buffer
	for i := first; i < first+n; {
		cust := rng.Intn(2000)
		subject := fmt.Sprintf("%s %s #%d", strings.Title(words[rng.Intn(len(words))]), words[rng.Intn(len(words))], i)
		replies := 1 + rng.Intn(5)
		var refs []string
		at := base.Add(time.Duration(i) * 7 * time.Minute)
		for r := 0; r < replies && i < first+n; r, i = r+1, i+1 {
			buf.Reset()
			mid := fmt.Sprintf("<bench-%d@example.com>", i)
			from, to := fmt.Sprintf("Customer %d <c%d@example.com>", cust, cust), "Shop <shop@bench.example>"
			subj := subject
			if r%2 == 1 {
				from, to = to, from
			}
			if r > 0 {
				subj = "Re: " + subject
			}
			fmt.Fprintf(&buf, "Return-Path: <c%d@example.com>\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n",
				cust, from, to, subj, at.Format(time.RFC1123Z), mid)
			if len(refs) > 0 {
				fmt.Fprintf(&buf, "In-Reply-To: %s\r\nReferences: %s\r\n", refs[len(refs)-1], strings.Join(refs, " "))
			}
			buf.WriteString("MIME-Version: 1.0\r\n")
			body := paragraph(rng, 150+rng.Intn(400))
			withAtt := rng.Intn(10) == 0
			if withAtt {
				buf.WriteString("Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
				buf.WriteString(body + "\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"scan.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
				buf.WriteString(attB64 + "--b--\r\n")
			} else {
				buf.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
			}
			name := fmt.Sprintf("%d.%06d.bench:2,S", at.Unix(), i)
			if err := os.WriteFile(filepath.Join(dir, "cur", name), buf.Bytes(), 0o644); err != nil {
				return total, err
			}
			total += int64(buf.Len())
			refs = append(refs, mid)
			at = at.Add(time.Duration(1+rng.Intn(600)) * time.Minute)
		}
	}
	return total, nil
}

func paragraph(rng *rand.Rand, nWords int) string {
	var b strings.Builder
	for i := 0; i < nWords; i++ {
		if i > 0 {
			if i%14 == 0 {
				b.WriteString("\r\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(words[rng.Intn(len(words))])
	}
	b.WriteString("\r\n")
	return b.String()
}

func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s + "\r\n"
}

// cpuTime is the user and system CPU time this process has used: on a
// shared machine it shows the work apart from the wait for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
