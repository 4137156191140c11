package syncer

import (
	"runtime"
	"syscall"
)

// parserNice is how much lower than the rest of the process a parse
// worker (and the WAL checkpoint beside a bulk sync) runs. The writer is
// the bottleneck of a bulk sync and parsing is always ahead of it; on a
// machine with few cores, a parser runnable at the same priority takes the
// writer's core half the time.
const parserNice = 10

// lowerThreadPriority pins the calling goroutine to its OS thread and lowers
// that thread's priority. The goroutine must end without unpinning: the Go
// runtime then discards the thread rather than hand its lower priority to
// other goroutines.
func lowerThreadPriority() {
	runtime.LockOSThread()
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		return
	}
	// The kernel's getpriority returns 20 - nice.
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), min(20-prio+parserNice, 19))
}
