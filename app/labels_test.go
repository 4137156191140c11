package app

import (
	"errors"
	"testing"

	"tidings/backend/inbox"
)

func TestSetLabelColor(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	if err := a.SetLabelColor("Shipping", "#123abc"); err != nil {
		t.Fatal(err)
	}
	ov, err := a.Overview()
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, l := range ov.Labels {
		if l.Name == "Shipping" {
			got = l.Color
		}
	}
	if got != "#123abc" {
		t.Errorf("Shipping's colour: got %q, want #123abc", got)
	}
	if err := a.SetLabelColor("Shipping", "red; background:url(x)"); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("bad colour: got %v, want ErrInvalid", err)
	}
	if err := a.SetLabelColor("No such label", "#000000"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown label: got %v, want ErrNotFound", err)
	}
}
