//go:build !unix

package cli

import "time"

// processCPU is not measured here; `search --timing` prints 0 for it.
func processCPU() time.Duration { return 0 }
