package threader

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// BenchmarkIngestSync files mail the way a bulk sync does (newest first,
// 100 messages a transaction under DeferRefresh) into a store that already
// holds 3,000 messages from a few heavy customers: the threader's share of
// the writer's work, storing included.
//
//	go test ./backend/threader -run '^$' -bench IngestSync -benchtime 3000x -cpu 1
func BenchmarkIngestSync(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "t.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	acc := &inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: shop}
	if err := st.CreateAccount(ctx, acc); err != nil {
		b.Fatal(err)
	}
	th := New(st, nil)
	rng := rand.New(rand.NewSource(1))
	n := 3000 + b.N
	parsed := make([]*email.Parsed, n)
	for i := range parsed {
		k := n - i // newest first
		cust := int(rng.ExpFloat64()*20) % 300
		m := msg{from: fmt.Sprintf("Customer %d <c%d@example.com>", cust, cust), id: fmt.Sprintf("m%d@x", k),
			subject: fmt.Sprintf("Order %d", rng.Intn(5000)), date: t0.Add(time.Duration(k) * 17 * time.Minute)}
		if rng.Intn(10) < 3 && k > 1 {
			p := fmt.Sprintf("m%d@x", rng.Intn(k-1)+1)
			m.subject, m.irt, m.refs = "Re: "+m.subject, p, p
		}
		parsed[i] = email.Parse(m.raw())
	}
	file := func(ps []*email.Parsed) {
		err := st.BulkTx(ctx, func(tx *sql.Tx) error {
			ctx, flush := st.DeferRefresh(ctx)
			for _, p := range ps {
				if _, err := th.IngestTx(ctx, tx, Input{Account: acc, Message: p.Message}); err != nil {
					return err
				}
			}
			return flush(ctx, tx)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 3000; i += 100 {
		file(parsed[i:min(i+100, 3000)])
	}
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 3000; i < n; i += 100 {
		file(parsed[i:min(i+100, n)])
	}
	// CPU time, unlike wall time, hardly depends on what else the machine
	// runs.
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// processCPU is the process's user and system time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
