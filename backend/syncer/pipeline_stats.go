package syncer

import (
	"runtime"
	"time"
)

// pipeStats is where a folder's bulk download spent its time: the writer
// storing batches or waiting for the next one, the fetch side parsing or
// waiting for the writer. It goes to the debug log after the folder, so a
// benchmark (BENCH_TRACE) shows which side is the bottleneck.
type pipeStats struct {
	batches, messages int
	// writerBusy is the wall time inside storeBatch; writerCPU the
	// writer thread's own CPU time there (zero where threadCPU is not
	// available); writerIdle the wait for a parsed batch.
	writerBusy, writerCPU, writerIdle time.Duration
	// firstWait is the part of writerIdle before the first batch (its
	// download and parse).
	firstWait time.Duration
	// parse is the wall time of parseAll; fetchBlocked the wait of a
	// parsed batch for the writer.
	parse, fetchBlocked time.Duration
}

// logArgs are the stats as slog fields.
func (p *pipeStats) logArgs() []any {
	per := func(d time.Duration) float64 {
		if p.messages == 0 {
			return 0
		}
		return float64(d.Microseconds()) / float64(p.messages)
	}
	return []any{"batches", p.batches, "messages", p.messages,
		"writer_busy", p.writerBusy, "writer_idle", p.writerIdle, "writer_idle_first", p.firstWait, "writer_cpu_us_per_msg", per(p.writerCPU),
		"writer_busy_us_per_msg", per(p.writerBusy), "parse", p.parse, "fetch_blocked_on_writer", p.fetchBlocked}
}

// lockWriterThread pins the calling goroutine (the writer) to its OS
// thread so threadCPU measures it alone; the returned func unpins it.
func lockWriterThread() func() {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
