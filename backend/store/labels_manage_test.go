package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"testing"

	"tidings/backend/inbox"
)

func newConversation(t *testing.T, s *Store) string {
	t.Helper()
	c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: "Order", Status: inbox.StatusOpen}
	if err := s.Tx(context.Background(), func(tx *sql.Tx) error { return s.CreateConversationTx(context.Background(), tx, &c) }); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestLabelCreateRenameDelete(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := s.CreateLabel(ctx, "  VIP ", "#2f80ed"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateLabel(ctx, "vip", ""); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("same name other case: got %v, want ErrConflict", err)
	}
	if err := s.CreateLabel(ctx, " ", ""); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("blank name: got %v, want ErrInvalid", err)
	}
	a, b := newConversation(t, s), newConversation(t, s)
	for _, c := range []string{a, b} {
		if err := s.AddLabel(ctx, c, "VIP"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddLabel(ctx, a, "Refund"); err != nil {
		t.Fatal(err)
	}

	if err := s.RenameLabel(ctx, "VIP", "Refund"); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("rename onto another label: got %v, want ErrConflict", err)
	}
	if err := s.RenameLabel(ctx, "Nope", "X"); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("rename unknown: got %v, want ErrNotFound", err)
	}
	if err := s.RenameLabel(ctx, "VIP", "vip"); err != nil {
		t.Fatalf("case-only rename: %v", err)
	}
	if err := s.RenameLabel(ctx, "vip", "Priority"); err != nil {
		t.Fatal(err)
	}
	counts, err := s.LabelCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["Priority"] != 2 || counts["Refund"] != 1 || len(counts) != 2 {
		t.Fatalf("counts after rename: got %v, want Priority 2, Refund 1", counts)
	}
	ls, _ := s.Labels(ctx)
	for _, l := range ls {
		if l.Name == "Priority" && l.Color != "#2f80ed" {
			t.Fatalf("rename lost the colour: got %q", l.Color)
		}
	}

	n, err := s.DeleteLabel(ctx, "Priority")
	if err != nil || n != 2 {
		t.Fatalf("delete: got %d, %v, want 2", n, err)
	}
	counts, _ = s.LabelCounts(ctx)
	if _, ok := counts["Priority"]; ok || counts["Refund"] != 1 {
		t.Fatalf("counts after delete: got %v", counts)
	}
	evs, _ := s.Events(ctx, b)
	var details []string
	for _, e := range evs {
		details = append(details, e.Detail)
	}
	// Events in the same millisecond have no order among them.
	sort.Strings(details)
	want := []string{"+VIP", "-Priority", "VIP → vip", "vip → Priority"}
	if len(details) != len(want) {
		t.Fatalf("timeline of b: got %q, want %q", details, want)
	}
	for i := range want {
		if details[i] != want[i] {
			t.Fatalf("timeline of b: got %q, want %q", details, want)
		}
	}
	if _, err := s.DeleteLabel(ctx, "Priority"); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("delete twice: got %v, want ErrNotFound", err)
	}
}
