package app

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestShowGateShowsOnce(t *testing.T) {
	var calls atomic.Int32
	g := NewShowGate(func() { calls.Add(1) })
	if got := g.Reason(); got != "" {
		t.Fatalf("reason before any show: got %q, want empty", got)
	}
	g.Show("rows")
	g.Show("fallback")
	if n := calls.Load(); n != 1 {
		t.Errorf("show called %d times, want 1", n)
	}
	if got := g.Reason(); got != "rows" {
		t.Errorf("reason: got %q, want rows (the first)", got)
	}
}

func TestShowGateMiddleware(t *testing.T) {
	for _, tc := range []struct {
		name, query, want string
	}{
		{"rows", "?reason=rows", "rows"},
		{"welcome", "?reason=welcome", "welcome"},
		{"error screen", "?reason=error", "error"},
		{"unknown reason", "?reason=<script>", "page"},
		{"no reason", "", "page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			g := NewShowGate(func() { calls.Add(1) })
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
			h := g.Middleware()(next)

			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ShowPath+tc.query, nil))
			if rec.Code != http.StatusNoContent {
				t.Fatalf("%s: got %d, want 204", ShowPath, rec.Code)
			}
			if calls.Load() != 1 || g.Reason() != tc.want {
				t.Errorf("after the request: %d shows, reason %q; want 1, %q", calls.Load(), g.Reason(), tc.want)
			}

			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/index.html", nil))
			if rec.Code != http.StatusTeapot {
				t.Errorf("another path: got %d, want the next handler's 418", rec.Code)
			}
		})
	}
}

func TestShowGateFallback(t *testing.T) {
	shown := make(chan struct{})
	g := NewShowGate(func() { close(shown) })
	g.Start(time.Millisecond) // the page never asks
	select {
	case <-shown:
	case <-time.After(10 * time.Second):
		t.Fatal("the fallback never showed the window")
	}
	if got := g.Reason(); got != "fallback" {
		t.Errorf("reason: got %q, want fallback", got)
	}
	g.Show("rows") // the page's late request shows nothing more
	if got := g.Reason(); got != "fallback" {
		t.Errorf("reason after a late request: got %q, want fallback", got)
	}
}
