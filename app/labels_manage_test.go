package app

import (
	"errors"
	"testing"

	"tidings/backend/inbox"
)

func TestLabelsFromSettings(t *testing.T) {
	a, rec := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateLabel("Wholesale", "#27ae60"); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateLabel("Bad", "url(x)"); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("bad colour: got %v, want ErrInvalid", err)
	}
	before := len(rec.events)
	if err := a.RenameLabel("Shipping", "Delivery"); err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != before+1 {
		t.Fatalf("rename sent %d events, want 1", len(rec.events)-before)
	}
	ov, err := a.Overview()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, l := range ov.Labels {
		counts[l.Name] = l.Count
	}
	if _, ok := counts["Shipping"]; ok {
		t.Fatalf("Shipping still listed after the rename: %v", counts)
	}
	if c, ok := counts["Wholesale"]; !ok || c != 0 {
		t.Fatalf("new label: got %d, %v, want listed with 0", c, ok)
	}
	n, err := a.DeleteLabel("Delivery")
	if err != nil || n != counts["Delivery"] || n == 0 {
		t.Fatalf("delete: got %d, %v, want %d (>0)", n, err, counts["Delivery"])
	}
}
