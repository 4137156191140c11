package syncer

import (
	"syscall"
	"time"
)

// threadCPU is the calling OS thread's user+system time (getrusage
// RUSAGE_THREAD), or 0 when unavailable.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
