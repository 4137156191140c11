package inbox

import (
	"errors"
	"testing"
	"time"
)

func TestApplyInbound(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		status  Status
		snooze  time.Time
		changed bool
	}{
		{"open stays open", StatusOpen, time.Time{}, false},
		{"closed reopens", StatusClosed, time.Time{}, true},
		{"pending reopens", StatusPending, time.Time{}, true},
		{"snoozed wakes early", StatusSnoozed, now.Add(48 * time.Hour), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Conversation{Status: tc.status, SnoozedUntil: tc.snooze}
			if got := c.ApplyInbound(now); got != tc.changed {
				t.Errorf("changed: got %v, want %v", got, tc.changed)
			}
			if c.Status != StatusOpen {
				t.Errorf("status: got %s, want open", c.Status)
			}
			if !c.SnoozedUntil.IsZero() {
				t.Errorf("snooze: got %v, want cleared", c.SnoozedUntil)
			}
		})
	}
}

func TestSetStatusAndWake(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c := Conversation{Status: StatusOpen}
	if err := c.SetStatus(StatusSnoozed, now.Add(-time.Minute), now); !errors.Is(err, ErrInvalid) {
		t.Fatalf("snooze into the past: got %v, want ErrInvalid", err)
	}
	if err := c.SetStatus(StatusSnoozed, time.Time{}, now); !errors.Is(err, ErrInvalid) {
		t.Fatalf("snooze without time: got %v, want ErrInvalid", err)
	}
	if err := c.SetStatus("archived", time.Time{}, now); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown status: got %v, want ErrInvalid", err)
	}
	if err := c.SetStatus(StatusSnoozed, now.Add(time.Hour), now); err != nil {
		t.Fatal(err)
	}
	if c.Wake(now.Add(59 * time.Minute)) {
		t.Fatal("woke before its time")
	}
	if !c.Wake(now.Add(time.Hour)) || c.Status != StatusOpen || !c.SnoozedUntil.IsZero() {
		t.Fatalf("wake at its time: got %s %v, want open with no snooze", c.Status, c.SnoozedUntil)
	}
	if err := c.SetStatus(StatusClosed, now.Add(time.Hour), now); err != nil || !c.SnoozedUntil.IsZero() {
		t.Fatalf("close: got %v %v, want no error and no snooze", err, c.SnoozedUntil)
	}
}

func TestParseStatus(t *testing.T) {
	for _, s := range []string{"open", "pending", "snoozed", "closed"} {
		if got, err := ParseStatus(s); err != nil || string(got) != s {
			t.Errorf("ParseStatus(%q): got %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "Open", "done"} {
		if _, err := ParseStatus(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseStatus(%q): got %v, want ErrInvalid", s, err)
		}
	}
}
