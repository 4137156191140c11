package app

import (
	"context"
	"sync"
	"testing"
	"time"

	"tidings/backend/workspace"
)

type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Emit(name string, data ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, name)
}

func newInbox(t *testing.T) (*Inbox, *recorder) {
	t.Helper()
	ws, err := workspace.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	rec := &recorder{}
	return New(ws, rec), rec
}

func TestBoundMethodsOnDemo(t *testing.T) {
	a, rec := newInbox(t)
	ov, err := a.Overview()
	if err != nil || !ov.Empty {
		t.Fatalf("fresh overview: got empty=%v, %v", ov.Empty, err)
	}
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	list, err := a.Conversations(workspace.ListOptions{Status: "open"})
	if err != nil || len(list) == 0 {
		t.Fatalf("open conversations: got %d, %v", len(list), err)
	}
	id := list[0].ID
	if err := a.SetStatus(id, "snoozed", time.Now().Add(time.Hour).UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	if err := a.SetStatus(id, "snoozed", "tomorrow"); err == nil {
		t.Fatal("snooze with a bad time: got no error")
	}
	if err := a.AddLabel(id, "Follow-up"); err != nil {
		t.Fatal(err)
	}
	if err := a.AddNote(id, "Promised a call"); err != nil {
		t.Fatal(err)
	}
	th, err := a.Thread(id)
	if err != nil || th.Status != "snoozed" || len(th.Notes) != 1 || len(th.Labels) == 0 {
		t.Fatalf("thread: got status=%s notes=%d labels=%v, %v", th.Status, len(th.Notes), th.Labels, err)
	}
	if len(rec.events) < 4 {
		t.Fatalf("events: got %v, want one per change", rec.events)
	}
}

func TestWakeOnceOpensDueSnoozes(t *testing.T) {
	a, rec := newInbox(t)
	a.LoadDemo()
	ctx := context.Background()
	list, _ := a.Conversations(workspace.ListOptions{Status: "snoozed"})
	if len(list) == 0 {
		t.Fatal("demo has no snoozed conversation")
	}
	// Make the demo's snooze due now.
	if _, err := a.ws.Store.DB().Exec(`UPDATE conversations SET snoozed_until = 1 WHERE status = 'snoozed'`); err != nil {
		t.Fatal(err)
	}
	before := len(rec.events)
	if err := a.wakeOnce(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := a.Conversations(workspace.ListOptions{Status: "snoozed"})
	if len(after) != 0 || len(rec.events) != before+1 {
		t.Fatalf("after wake: %d snoozed, %d new events", len(after), len(rec.events)-before)
	}
}
