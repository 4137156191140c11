package app

import (
	"errors"
	"testing"

	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

func contactByName(t *testing.T, a *Inbox, name string) workspace.ContactView {
	t.Helper()
	cs, err := a.FindContacts(name, 5)
	if err != nil || len(cs) != 1 {
		t.Fatalf("FindContacts(%q): got %d contacts, %v; want 1", name, len(cs), err)
	}
	return cs[0]
}

func TestContactPanelMergeUndo(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	alice := contactByName(t, a, "Alice Smith")
	p, err := a.Contact(alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	channels := map[string]bool{}
	for _, c := range p.Conversations {
		channels[c.Channel] = true
	}
	if len(p.Conversations) < 2 || !channels["email"] || !channels["telegram"] {
		t.Fatalf("Alice's panel: got %d conversations on %v, want several on email and telegram", len(p.Conversations), channels)
	}

	// Search by address too.
	if got := contactByName(t, a, "@JONES-family"); got.Name != "Bob Jones" {
		t.Errorf("FindContacts by address: got %q, want Bob Jones", got.Name)
	}

	bob := contactByName(t, a, "Bob Jones")
	bobPanel, _ := a.Contact(bob.ID)
	mergeID, err := a.MergeContacts(alice.ID, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	merged, _ := a.Contact(alice.ID)
	if len(merged.Conversations) != len(p.Conversations)+len(bobPanel.Conversations) {
		t.Errorf("after merge: got %d conversations, want %d", len(merged.Conversations), len(p.Conversations)+len(bobPanel.Conversations))
	}
	if _, err := a.Contact(bob.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("merged contact: got %v, want ErrNotFound", err)
	}
	restored, err := a.UndoMerge(mergeID)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := a.Contact(restored)
	if back.Contact.Name != "Bob Jones" || len(back.Conversations) != len(bobPanel.Conversations) {
		t.Errorf("after undo: got %q with %d conversations, want Bob Jones with %d", back.Contact.Name, len(back.Conversations), len(bobPanel.Conversations))
	}

	if _, err := a.MergeContacts(alice.ID, alice.ID); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("self merge: got %v, want ErrInvalid", err)
	}
	if err := a.UpdateContact(alice.ID, "Alice Smith-Jones", "Prefers Telegram"); err != nil {
		t.Fatal(err)
	}
	if p, _ = a.Contact(alice.ID); p.Contact.Name != "Alice Smith-Jones" || p.Notes != "Prefers Telegram" {
		t.Errorf("after edit: got %q / %q", p.Contact.Name, p.Notes)
	}
	if err := a.UpdateContact(alice.ID, "  ", ""); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("empty name: got %v, want ErrInvalid", err)
	}
}
