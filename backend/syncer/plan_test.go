package syncer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"tidings/backend/channels/email"
)

// TestPlannerCutsByCountAndBytes runs the planner against Dovecot: every UID
// lands in exactly one batch, in order, and each batch keeps to the count
// and byte bounds (a message larger than the byte bound goes alone), the
// first ones smaller so the writer starts soon. Sizes
// the caller knows are not asked for again, and they cut the first batches.
func TestPlannerCutsByCountAndBytes(t *testing.T) {
	h := newHarness(t, nil)
	msgs := corpus(120, 0)
	for i := range msgs {
		if i%9 == 0 {
			msgs[i] = append(msgs[i], strings.Repeat("a longer body line, to vary the sizes\r\n", 40*(i%4+1))...)
		}
	}
	if err := h.dove.Deliver(user, "INBOX", msgs); err != nil {
		t.Fatal(err)
	}
	cfg, _ := email.ParseConfig(h.acc.Config)
	sess, err := email.Connect(h.ctx, cfg, email.Auth{Password: pass}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Select(h.ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	uids, err := sess.UIDs(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	metas, err := sess.Metas(h.ctx, uids, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	size := map[uint32]int64{}
	for _, m := range metas {
		size[m.UID] = m.Size
	}
	slices.Reverse(uids) // newest first, as a sync asks
	for _, tc := range []struct {
		name    string
		known   int // sizes known for the newest `known` UIDs
		count   int
		bytes   int64
		noSizes bool
		divert  int64 // messages above it are set apart
	}{
		{name: "sizes fetched", count: 7, bytes: 4 << 10},
		{name: "first sizes known", known: 30, count: 7, bytes: 4 << 10},
		{name: "every size known", known: 120, count: 50, bytes: 2 << 10},
		{name: "ramp by count", known: 120, count: 100, bytes: 1 << 30},
		{name: "by count alone", count: 25, bytes: 1, noSizes: true},
		{name: "large set apart", known: 40, count: 10, bytes: 4 << 10, divert: 2 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			known := map[uint32]int64{}
			for _, u := range uids[:tc.known] {
				known[u] = size[u]
			}
			p := newPlanner(sess, uids, known, tc.noSizes, tc.count, tc.bytes, tc.divert)
			ctx, cancel := context.WithCancel(h.ctx)
			defer cancel()
			go p.run(ctx)
			var all []uint32
			for n := 1; ; n++ {
				b, err := p.next(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if b == nil {
					break
				}
				kept := len(uids) - countAbove(uids, size, tc.divert)
				if p.handedOut(n) != (len(all)+len(b) == kept) {
					t.Errorf("batch %d: handedOut says last=%v with %d of %d UIDs cut", n, p.handedOut(n), len(all)+len(b), kept)
				}
				limit := tc.count // the first batches ramp up: 16, 64, ...
				if n < 4 {
					limit = min(limit, rampFirst<<(2*(n-1)))
				}
				if len(b) > limit {
					t.Errorf("batch %d: %d UIDs, want at most %d", n, len(b), limit)
				}
				if tc.noSizes && len(b) < limit && len(all)+len(b) < len(uids) {
					t.Errorf("batch %d: cut at %d UIDs by count alone, want %d", n, len(b), limit)
				}
				var bytes int64
				for _, u := range b {
					bytes += size[u]
				}
				if !tc.noSizes && len(b) > 1 && bytes > tc.bytes {
					t.Errorf("batch %d: %d bytes in %d messages, want at most %d", n, bytes, len(b), tc.bytes)
				}
				// A batch ends early only when the next message would not fit.
				if !tc.noSizes && tc.divert == 0 && len(b) < limit && len(all)+len(b) < len(uids) && bytes+size[uids[len(all)+len(b)]] <= tc.bytes {
					t.Errorf("batch %d: cut at %d messages, %d bytes, though the next fits", n, len(b), bytes)
				}
				all = append(all, b...)
			}
			<-p.done
			var want, large []uint32
			for _, u := range uids {
				if tc.divert > 0 && size[u] > tc.divert {
					large = append(large, u)
				} else {
					want = append(want, u)
				}
			}
			if !slices.Equal(all, want) {
				t.Errorf("batches hold %d UIDs, want each of the %d once, newest first", len(all), len(want))
			}
			if !slices.Equal(p.diverted(), large) {
				t.Errorf("set apart: got %v, want %v", p.diverted(), large)
			}
			if tc.divert > 0 && len(large) == 0 {
				t.Errorf("no message above %d bytes: the case proves nothing", tc.divert)
			}
			if tc.noSizes && len(p.size) != 0 {
				t.Errorf("by count alone: %d sizes fetched, want none", len(p.size))
			}
		})
	}
}

// countAbove counts the UIDs larger than limit (none when limit is 0).
func countAbove(uids []uint32, size map[uint32]int64, limit int64) int {
	n := 0
	for _, u := range uids {
		if limit > 0 && size[u] > limit {
			n++
		}
	}
	return n
}

// TestSizeFetchDiesMidSync: the server drops the connection while the sizes
// of a later window are fetched, with bodies of the first batches already
// in the pipeline. The batches stored stay stored whole, the next syncs
// narrow the culprit down (by count, then one by one) and finish without
// losing or doubling anything.
func TestSizeFetchDiesMidSync(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 5, HeadersFirst: -1})
	readable := h.deliverUnreadable(60, 20) // outside the first size window (the newest 10)
	var err error
	runs, sizesDied := 0, false
	for runs = 1; runs <= 8; runs++ {
		if _, err = h.sy.SyncAccount(h.ctx, h.acc); err == nil {
			break
		}
		c, _ := h.st.Cursor(h.ctx, h.acc.ID, scope("INBOX"))
		sizesDied = sizesDied || parseCursor(c).NoSizes
		stored := h.messages()
		t.Logf("run %d: %v; %d stored; cursor %s", runs, err, stored, c)
		h.checkConsistent(map[string]int{"INBOX": stored}, stored)
	}
	if err != nil {
		t.Fatalf("no sync completed around an unreadable message: %v", err)
	}
	if !sizesDied {
		t.Errorf("no run failed while sizes were fetched: the test proved nothing")
	}
	if n := h.messages(); n != 59 {
		t.Errorf("stored %d, want 59 (all but the unreadable one)", n)
	}
	readable()
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 60}, 60)
}
