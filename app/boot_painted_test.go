package app

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPaintedReportIsLogged(t *testing.T) {
	a, _ := newInbox(t)
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	h := BootMiddleware(a)(http.NotFoundHandler())

	origin := float64(time.Now().Add(-time.Second).UnixMicro()) / 1000
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("%s?ms=250.4&script=90&frame=x&origin=%f", PaintedPath, origin), nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("report: got %d, want 204", rec.Code)
	}
	line := buf.String()
	for _, want := range []string{"first rows painted", "ms=250", "script=90", "at=", "late=", "go_cpu="} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "frame=") {
		t.Errorf("log %q has frame, a step that was not a number", line)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, PaintedPath+"?script=90", nil))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("report without ms: got %d, want 400", rec.Code)
	}
}

func TestCPUOfAChildProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	if _, all, ok := threadCPUms(os.Getpid()); !ok || all <= 0 {
		t.Fatalf("own CPU: got %v ms (ok %v), want more than 0", all, ok)
	}
	// A child named like no other: a copy of sleep.
	bin := t.TempDir() + "/tidingsnap"
	b, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Skip("no /bin/sleep")
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "5")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var pid int
	for i := 0; i < 100 && pid == 0; i++ {
		pid = childNamed("tidingsnap")
		time.Sleep(10 * time.Millisecond)
	}
	if pid != cmd.Process.Pid {
		t.Fatalf("childNamed: got %d, want %d", pid, cmd.Process.Pid)
	}
	if got := childNamed("no-such-child"); got != 0 {
		t.Errorf("childNamed(no-such-child): got %d, want 0", got)
	}
	if _, _, ok := threadCPUms(pid); !ok {
		t.Errorf("threadCPUms(%d): not ok", pid)
	}
}

func TestCPUTraceReadsTheSampleBeforeAMoment(t *testing.T) {
	t0 := time.Now()
	tr := &cpuTrace{samples: []cpuSample{{t0, 10, 12}, {t0.Add(10 * time.Millisecond), 20, 25}, {t0.Add(20 * time.Millisecond), 30, 40}}}
	if _, _, ok := tr.at(t0.Add(-time.Millisecond)); ok {
		t.Error("before the first sample: got ok, want none")
	}
	if main, all, ok := tr.at(t0.Add(15 * time.Millisecond)); !ok || main != 20 || all != 25 {
		t.Errorf("at 15 ms: got %v %v %v, want 20 25 true", main, all, ok)
	}
	if main, _, _ := tr.at(t0.Add(time.Second)); main != 30 {
		t.Errorf("after the last: got %v, want 30", main)
	}
}

func TestBootAsksForTheBenchScrollOnlyWhenSet(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		env  string
		want int
	}{{"", 0}, {"x", 0}, {"-5", 0}, {"5000", 5000}} {
		t.Setenv(BenchScrollEnv, c.env)
		b, err := a.boot()
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		if b.Bench != nil {
			got = b.Bench.Scroll
		}
		if got != c.want {
			t.Errorf("%s=%q: got scroll %d, want %d", BenchScrollEnv, c.env, got, c.want)
		}
	}
}

func TestScrolledReportIsLogged(t *testing.T) {
	a, _ := newInbox(t)
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	h := BootMiddleware(a)(http.NotFoundHandler())
	// The page marks four moments: before and after its scroll, before and
	// after the control's.
	burnt := false
	for i := 0; i < 4; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ScrolledPath+"?mark=1", nil))
		if rec.Code != http.StatusNoContent {
			t.Fatalf("mark: got %d, want 204", rec.Code)
		}
		if i == 2 {
			burnt = burnCPU(20) // the control's scroll, as this process sees it
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ScrolledPath+"?rows=5016&frames=257&long=3&p95=16.6666&long_page=2&pages=24&ctl_long=1", nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("report: got %d, want 204", rec.Code)
	}
	for _, want := range []string{"window: scrolled", "rows=5016", "frames=257", "long=3", "p95=16.7", "long_page=2", "pages=24", "ctl_long=1"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %q", buf.String(), want)
		}
	}
	// The CPU between the marks: this process's; no web process here.
	if !strings.Contains(buf.String(), "cpu_web=0 ") || !strings.Contains(buf.String(), "ctl_cpu_go=") {
		t.Errorf("log %q lacks the CPU figures", buf.String())
	}
	m := regexp.MustCompile(` ctl_cpu_go=([0-9.]+)`).FindStringSubmatch(buf.String())
	if m == nil {
		t.Fatalf("no control CPU in %q", buf.String())
	}
	if !burnt && runtime.GOOS == "linux" {
		t.Fatal("this process's threads' CPU time could not be read from /proc")
	}
	if v, _ := strconv.ParseFloat(m[1], 64); burnt && v < 20 {
		t.Errorf("control CPU %v ms, want at least the 20 ms burnt between its marks", v)
	}
	// Marks are used once: a report without new ones has no CPU figures.
	buf.Reset()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ScrolledPath+"?frames=3", nil))
	if strings.Contains(buf.String(), "cpu_go") {
		t.Errorf("second report %q has CPU figures without marks", buf.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ScrolledPath+"?rows=1", nil))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("report without frames: got %d, want 400", rec.Code)
	}
}

// burnCPU spins until this process has spent ms more CPU time; false
// where its threads' CPU time cannot be read (no /proc).
func burnCPU(ms float64) bool {
	_, start, ok := threadCPUms(os.Getpid())
	if !ok {
		return false
	}
	for x := 0; ; x++ {
		if x%100000 == 0 {
			if _, now, _ := threadCPUms(os.Getpid()); now-start >= ms {
				return true
			}
		}
	}
}
