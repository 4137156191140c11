package syncer

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"tidings/backend/channels/email"
)

// planner cuts the UIDs of a bulk download (newest first) into batches
// bounded by count and bytes while the download runs: sizes the caller
// already has (from the headers-first pass) cut the first batches at once,
// and the sizes of the rest (RFC822.SIZE) are fetched window by window on
// the same connection, a little ahead of the batches that need them: the
// writer never waits for the sizes of messages it stores much later (on
// Dovecot about 50 µs a message, a second for 20,000).
//
// The sizes bound a batch's memory and its transaction; without them (the
// connection died while they were fetched, cursor.NoSizes) batches are cut
// by count alone.
type planner struct {
	sess     *email.Session
	uids     []uint32
	size     map[uint32]int64
	noSizes  bool
	maxCount int
	maxBytes int64
	// divert, when not 0, keeps messages larger than it out of the
	// batches (the prefetch limit): they are listed in large, newest
	// first, for a download of their own.
	divert int64
	large  []uint32
	// log, when set, gets a debug record per size fetch.
	log *slog.Logger

	mu     sync.Mutex
	ready  [][]uint32 // cut and not yet handed out
	issued [][]uint32 // handed out, in order
	ended  bool
	err    error
	// probeDied is set when the connection failed while sizes were being
	// fetched: the size fetch itself may be what the server cannot serve.
	probeDied bool
	wake      chan struct{} // a batch was cut, or the planner ended
	want      chan struct{} // the ready batches ran low
	done      chan struct{} // run returned
}

// Window sizes for fetching RFC822.SIZE: a small first one, so the first
// batches are cut at once, then windows of planWindow UIDs, each fetched once
// fewer than planAhead batches are left cut. A size fetch (about 50 µs a
// message on Dovecot) holds up the bodies queued behind it on the
// connection, so a window takes less time than the writer needs for the
// batches already downloaded (measured under load: windows of 1,000 held
// the writer up to 0.3 s at times).
const (
	planWindow = 500
	planAhead  = 8
)

// newPlanner returns a planner; start it with run.
func newPlanner(sess *email.Session, uids []uint32, known map[uint32]int64, noSizes bool, maxCount int, maxBytes, divert int64) *planner {
	size := make(map[uint32]int64, len(uids))
	for _, u := range uids {
		if n, ok := known[u]; ok {
			size[u] = n
		}
	}
	if divert > 0 {
		noSizes = false // sizes are what sets the large ones apart
	}
	return &planner{sess: sess, uids: uids, size: size, noSizes: noSizes, maxCount: maxCount, maxBytes: maxBytes, divert: divert,
		wake: make(chan struct{}, 1), want: make(chan struct{}, 1), done: make(chan struct{})}
}

// run fetches sizes and cuts batches until every UID is in one, ctx ends or
// a size fetch fails.
func (p *planner) run(ctx context.Context) {
	defer close(p.done)
	if len(p.uids) <= p.maxCount && p.divert == 0 {
		// One batch: no sizes needed (new mail between two syncs).
		if len(p.uids) > 0 {
			p.push(p.uids)
		}
		p.finish(nil)
		return
	}
	var cur []uint32
	var bytes int64
	first := min(len(p.uids), 2*p.maxCount)
	for i := 0; i < len(p.uids); {
		n := planWindow
		if i == 0 {
			n = first
		}
		win := p.uids[i:min(len(p.uids), i+n)]
		i += len(win)
		if err := p.probe(ctx, win); err != nil {
			p.finish(err)
			return
		}
		for _, u := range win {
			if p.divert > 0 && p.size[u] > p.divert {
				p.mu.Lock()
				p.large = append(p.large, u)
				p.mu.Unlock()
				continue
			}
			if len(cur) > 0 && (len(cur) >= p.countLimit() || bytes+p.size[u] > p.maxBytes) {
				p.push(cur)
				cur, bytes = nil, 0
			}
			cur = append(cur, u)
			bytes += p.size[u]
		}
		// Wait until the batches cut so far run low before fetching more
		// sizes.
		for i < len(p.uids) && p.stock() >= planAhead {
			select {
			case <-p.want:
			case <-ctx.Done():
				p.finish(ctx.Err())
				return
			}
		}
	}
	if len(cur) > 0 {
		p.push(cur)
	}
	p.finish(nil)
}

// rampFirst is the size of the first batch: the writer waits for its
// download and parse, so it is small, and the next ones grow fourfold up to
// maxCount while the pipeline fills.
const rampFirst = 16

// countLimit is the most UIDs the batch being cut may hold.
func (p *planner) countLimit() int {
	p.mu.Lock()
	n := len(p.issued) + len(p.ready)
	p.mu.Unlock()
	limit := rampFirst
	for ; n > 0 && limit < p.maxCount; n-- {
		limit *= 4
	}
	return min(limit, p.maxCount)
}

// probe fetches the sizes of the UIDs of win not known yet.
func (p *planner) probe(ctx context.Context, win []uint32) error {
	if p.noSizes {
		return nil
	}
	var unknown []uint32
	for _, u := range win {
		if _, ok := p.size[u]; !ok {
			unknown = append(unknown, u)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	t0 := time.Now()
	sizes, err := p.sess.Sizes(ctx, unknown)
	if p.log != nil {
		p.log.Debug("sizes fetched", "messages", len(unknown), "took", time.Since(t0), "err", err)
	}
	if err != nil {
		p.mu.Lock()
		var e *email.Error
		p.probeDied = errors.As(err, &e) && (e.Kind == email.KindNetwork || e.Kind == email.KindTimeout)
		p.mu.Unlock()
		return err
	}
	for u, n := range sizes {
		p.size[u] = n
	}
	return nil
}

func (p *planner) stock() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ready)
}

func (p *planner) push(b []uint32) {
	p.mu.Lock()
	p.ready = append(p.ready, b)
	p.mu.Unlock()
	signal(p.wake)
}

func (p *planner) finish(err error) {
	p.mu.Lock()
	p.ended, p.err = true, err
	p.mu.Unlock()
	signal(p.wake)
}

// next hands out the next batch, waiting for it to be cut; nil when there
// are no more. It is the source of email.Session.FetchFrom.
func (p *planner) next(ctx context.Context) ([]uint32, error) {
	for {
		p.mu.Lock()
		if len(p.ready) > 0 {
			b := p.ready[0]
			p.ready = p.ready[1:]
			p.issued = append(p.issued, b)
			low := len(p.ready) < planAhead
			p.mu.Unlock()
			if low {
				signal(p.want)
			}
			return b, nil
		}
		ended, err := p.ended, p.err
		p.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if ended {
			return nil, nil
		}
		signal(p.want)
		select {
		case <-p.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// handedOut reports whether the batch numbered done (from 1) is the last:
// every UID is in a batch and done batches were handed out. FetchFrom asks
// for the next batch before it passes on the current one, so this is known
// by then.
func (p *planner) handedOut(done int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ended && p.err == nil && len(p.ready) == 0 && done == len(p.issued)
}

// diverted returns the UIDs kept out of the batches as larger than divert.
// It is complete once every batch is handed out.
func (p *planner) diverted() []uint32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.large
}

// onWire returns the batches handed out after the first `done`, at most
// fetchWindow of them: those that were being fetched when the connection
// died.
func (p *planner) onWire(done int) [][]uint32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.issued[min(done, len(p.issued)):min(len(p.issued), done+fetchWindow)]
}

// sizesDied reports whether the connection died during a size fetch. Call
// it once run has returned.
func (p *planner) sizesDied() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.probeDied
}

// signal wakes the reader of a one-slot channel without blocking.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
