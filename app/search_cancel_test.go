package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/workspace"
)

// TestSearchBoxCancelsStaleSearch checks that a new search from the box
// cancels the one still running, that a finished older search cannot
// clear the newer one's slot, and that a cancelled search fails with
// context.Canceled rather than returning a page.
func TestSearchBoxCancelsStaleSearch(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := demo.Seed(ctx, ws.Store, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := New(ws, &searchRecorder{})
	c1, done1 := a.newestSearch()
	c2, done2 := a.newestSearch()
	if !errors.Is(c1.Err(), context.Canceled) {
		t.Fatalf("older search: %v, want cancelled", c1.Err())
	}
	if c2.Err() != nil {
		t.Fatalf("newer search: %v, want running", c2.Err())
	}
	done1() // the older one ends late: the newer one stays in the slot
	c3, done3 := a.newestSearch()
	if !errors.Is(c2.Err(), context.Canceled) {
		t.Errorf("second search: %v after a third started, want cancelled", c2.Err())
	}
	done2()
	if c3.Err() != nil {
		t.Errorf("third search: %v, want running", c3.Err())
	}
	done3()
	if !errors.Is(c3.Err(), context.Canceled) {
		t.Errorf("third search after it ended: %v, want its context released", c3.Err())
	}

	// A search whose context is cancelled stops with that error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ws.Search(cctx, workspace.SearchOptions{Query: "helmet"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled search: %v, want context.Canceled", err)
	}
	// And the box still answers afterwards.
	if v, err := a.SearchPage(workspace.SearchOptions{Query: "helmet"}); err != nil || len(v.Hits) == 0 {
		t.Errorf("SearchPage after cancellations = %d hits, %v", len(v.Hits), err)
	}
}
