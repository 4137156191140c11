//go:build !linux

package syncer

import "time"

// threadCPU is unavailable here: the writer's CPU is reported as 0.
func threadCPU() time.Duration { return 0 }
