package app

import (
	"bufio"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
)

// MemoryView is how the window's process uses memory, in MiB: what the
// kernel counts resident (/proc/self/status) and the Go runtime's part of
// it. The rest of the anonymous memory is SQLite's (its page caches live in
// modernc.org/libc's own mmap'd heap, which this SQLite build does not
// count) and GTK's and WebKit's; the file-backed pages are mostly shared
// libraries. scripts/bench-ui.sh prints it.
type MemoryView struct {
	RSS   float64 `json:"rss_mb"`
	Anon  float64 `json:"anon_mb"`
	File  float64 `json:"file_mb"`
	Shmem float64 `json:"shmem_mb"`
	// GoTotal is all memory the Go runtime has mapped (heap, stacks,
	// metadata), less what it gave back to the OS.
	GoTotal float64 `json:"go_total_mb"`
	// GoHeap is the heap's live and not yet collected objects.
	GoHeap float64 `json:"go_heap_mb"`
	// GoFree is heap memory the runtime holds but has not returned.
	GoFree float64 `json:"go_free_mb"`
}

// Memory reports the process's memory (for the speed benchmark).
func (a *Inbox) Memory() (MemoryView, error) { return ReadMemory() }

// ReadMemory measures the current process.
func ReadMemory() (MemoryView, error) {
	var v MemoryView
	if err := readStatus(&v); err != nil {
		return v, err
	}
	const mib = 1 << 20
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	get := func(i int) float64 {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return float64(s[i].Value.Uint64()) / mib
	}
	v.GoTotal, v.GoHeap, v.GoFree = get(0)-get(1), get(2), get(3)
	return v, nil
}

func readStatus(v *MemoryView) error {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return fmt.Errorf("app: memory: %w", err)
	}
	defer f.Close()
	fields := map[string]*float64{"VmRSS": &v.RSS, "RssAnon": &v.Anon, "RssFile": &v.File, "RssShmem": &v.Shmem}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		p := fields[name]
		if !ok || p == nil {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		if err != nil {
			return fmt.Errorf("app: memory: %s: %w", name, err)
		}
		*p = kb / 1024
	}
	return sc.Err()
}
