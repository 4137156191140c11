//go:build unix

package cli

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process has used, for
// `search --timing`: on a loaded machine the wall time also counts waiting
// for a core, the CPU time does not.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
