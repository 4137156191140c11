package app

import (
	"context"
	"sync"
)

// The search box searches as the user types: each keystroke (after the
// debounce) asks for a new page, and the box keeps only the answer to the
// newest query. A search still running for an older query is cancelled
// when a newer one starts, so it stops using a core and a connection at
// once (the SQLite driver interrupts the statement running) instead of
// finishing work nobody will see.

// boxSearches holds each Inbox's search box slot.
var boxSearches sync.Map // *Inbox -> *boxSearch

// boxSearch is the search in flight for one window's search box.
type boxSearch struct {
	mu     sync.Mutex
	gen    uint64
	cancel context.CancelFunc
}

// newestSearch returns the context of a new search from the box, having
// cancelled the one before it, and the function that ends it.
func (a *Inbox) newestSearch() (context.Context, func()) {
	v, _ := boxSearches.LoadOrStore(a, &boxSearch{})
	b := v.(*boxSearch)
	ctx, cancel := context.WithCancel(a.ctx)
	b.mu.Lock()
	if b.cancel != nil {
		b.cancel()
	}
	b.gen++
	gen := b.gen
	b.cancel = cancel
	b.mu.Unlock()
	return ctx, func() {
		b.mu.Lock()
		if b.gen == gen {
			b.cancel = nil
		}
		b.mu.Unlock()
		cancel()
	}
}
