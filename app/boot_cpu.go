package app

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The CPU the window spent on its first screen, for the speed benchmark:
// on a shared machine wall-clock times swing with the load, CPU time far
// less. Linux only (/proc); elsewhere the figures are simply missing.

// threadCPUms is the CPU time, in ms, of the threads of process pid: the
// main thread alone (tid == pid) and all of them (/proc/PID/task/TID/
// schedstat's first field is the nanoseconds spent on a CPU).
func threadCPUms(pid int) (main, all float64, ok bool) {
	tasks, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "schedstat"))
	if err != nil || len(tasks) == 0 {
		return 0, 0, false
	}
	for _, p := range tasks {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the thread ended meanwhile
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			continue
		}
		ns, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		all += ns / 1e6
		if filepath.Base(filepath.Dir(p)) == strconv.Itoa(pid) {
			main = ns / 1e6
		}
	}
	return main, all, true
}

// childNamed is the pid of a child process of this one whose command
// name (/proc/PID/comm, at most 15 bytes) starts with prefix, or 0.
func childNamed(prefix string) int {
	self := os.Getpid()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		open, close := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || close < open {
			continue
		}
		rest := strings.Fields(string(b[close+1:]))
		if len(rest) < 2 || rest[1] != strconv.Itoa(self) {
			continue
		}
		if strings.HasPrefix(string(b[open+1:close]), prefix) {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:open])))
			return pid
		}
	}
	return 0
}

// CPUTraceEnv turns on the startup CPU trace when set (the speed benchmark
// sets it): the web process's CPU time sampled every 10 ms from launch, so
// the figure at the moment the rows were painted is read back exactly,
// however late the page's report arrives.
const CPUTraceEnv = "TIDINGS_BENCH_CPU"

type cpuSample struct {
	at        time.Time
	main, all float64
}

// cpuTrace samples the web process's CPU time for the first seconds of
// the window's life.
type cpuTrace struct {
	mu      sync.Mutex
	samples []cpuSample
}

func startCPUTrace() *cpuTrace {
	t := &cpuTrace{}
	go func() {
		defer func() { recover() }() // a benchmark aid never takes the window down
		start := time.Now()
		pid := 0
		for time.Since(start) < 20*time.Second {
			if pid == 0 {
				if pid = childNamed("WebKitWebProces"); pid == 0 {
					time.Sleep(20 * time.Millisecond)
					continue
				}
			}
			if main, all, ok := threadCPUms(pid); ok {
				t.mu.Lock()
				t.samples = append(t.samples, cpuSample{time.Now(), main, all})
				t.mu.Unlock()
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	return t
}

// at returns the web process's CPU time (main thread, all threads) at the
// last sample taken no later than when.
func (t *cpuTrace) at(when time.Time) (main, all float64, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := sort.Search(len(t.samples), func(i int) bool { return t.samples[i].at.After(when) })
	if i == 0 {
		return 0, 0, false
	}
	s := t.samples[i-1]
	return s.main, s.all, true
}

// scrollMarks holds the CPU times taken at the benchmark scroll's marks
// (scrolledHandler): on a loaded machine frames over 20 ms come and go
// with the neighbours, while the CPU each scroll costs the web process and
// the window's own process moves far less.
var scrollMarks cpuMarks

type cpuMark struct {
	webMain, webAll, goAll float64
}

type cpuMarks struct {
	mu    sync.Mutex
	marks []cpuMark
}

// mark records the web process's CPU (main thread, all threads) and this
// process's, now.
func (m *cpuMarks) mark() {
	var c cpuMark
	if pid := childNamed("WebKitWebProces"); pid != 0 {
		c.webMain, c.webAll, _ = threadCPUms(pid)
	}
	_, c.goAll, _ = threadCPUms(os.Getpid())
	m.mu.Lock()
	m.marks = append(m.marks, c)
	m.mu.Unlock()
}

// cpu returns, once four marks were taken, the CPU ms between the first
// two (the app's scroll) and the last two (the control's, once its list is
// built) as log attributes: cpu_web_main, cpu_web, cpu_go, and ctl_ the
// same. It forgets the marks.
func (m *cpuMarks) cpu() []any {
	m.mu.Lock()
	defer m.mu.Unlock()
	ms := m.marks
	m.marks = nil
	if len(ms) < 4 {
		return nil
	}
	a, b, c, d := ms[len(ms)-4], ms[len(ms)-3], ms[len(ms)-2], ms[len(ms)-1]
	r := func(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }
	return []any{
		"cpu_web_main", r(b.webMain - a.webMain), "cpu_web", r(b.webAll - a.webAll), "cpu_go", r(b.goAll - a.goAll),
		"ctl_cpu_web_main", r(d.webMain - c.webMain), "ctl_cpu_web", r(d.webAll - c.webAll), "ctl_cpu_go", r(d.goAll - c.goAll),
	}
}
