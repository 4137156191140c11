package syncer

import (
	"syscall"
	"testing"
)

// A parse worker's thread runs below the rest of the process, and the
// priority leaves with it: the thread is discarded when the worker ends.
func TestParserThreadsRunBelowTheWriter(t *testing.T) {
	base, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal("getpriority:", err)
	}
	got := make(chan int)
	go func() {
		lowerThreadPriority()
		p, _ := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
		got <- p
	}()
	// getpriority gives 20 - nice.
	if p, want := <-got, max(base-parserNice, 1); p != want {
		t.Errorf("parser thread priority %d (nice %d), want %d (nice %d)", p, 20-p, want, 20-want)
	}
	// Later goroutines never land on a lowered thread.
	for range 20 {
		done := make(chan int)
		go func() {
			p, _ := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
			done <- p
		}()
		if p := <-done; p != base {
			t.Fatalf("a later goroutine runs at priority %d, want the process's %d", p, base)
		}
	}
}
