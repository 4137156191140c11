package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"tidings/backend/inbox"
)

func TestContactIdentitiesAreUniquePerChannel(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	a := inbox.Contact{Name: "Ann", Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: "Ann@Example.com"}}}
	if err := s.CreateContact(ctx, &a); err != nil {
		t.Fatal(err)
	}
	got, err := s.ContactByIdentity(ctx, inbox.ChannelEmail, "ann@example.COM")
	if err != nil || got.ID != a.ID {
		t.Fatalf("by identity: got %+v, %v", got, err)
	}
	b := inbox.Contact{Name: "Other", Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: "ann@example.com"}}}
	if err := s.CreateContact(ctx, &b); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("second owner of an address: got %v, want ErrConflict", err)
	}
	if _, err := s.Contact(ctx, b.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("failed create left a contact behind: %v", err)
	}
	var id string
	s.Tx(ctx, func(tx *sql.Tx) error {
		id, err = s.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "ANN@example.com", "Someone")
		return err
	})
	if id != a.ID {
		t.Fatalf("find-or-create for a known address: got %s, want %s", id, a.ID)
	}
}

func TestMergeAndUndo(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	c1, _ := seedConversation(t, s, "one@example.com", 1, fixedNow())
	c2, _ := seedConversation(t, s, "two@example.com", 2, fixedNow())
	tg := inbox.Identity{ContactID: c2.ContactID, Channel: inbox.ChannelTelegram, Address: "4242"}
	if err := s.Tx(ctx, func(tx *sql.Tx) error { return s.AddIdentityTx(ctx, tx, &tg) }); err != nil {
		t.Fatal(err)
	}
	s.UpdateContact(ctx, c2.ContactID, "Two", "likes blue")
	mid, err := s.MergeContacts(ctx, c1.ContactID, c2.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	merged, _ := s.Contact(ctx, c1.ContactID)
	if len(merged.Identities) != 3 || merged.Notes != "likes blue" {
		t.Fatalf("merged contact: got %+v", merged)
	}
	convs, _ := s.Conversations(ctx, ListFilter{ContactID: c1.ContactID})
	if len(convs) != 2 {
		t.Fatalf("merged contact's conversations: got %d, want 2", len(convs))
	}
	if _, err := s.Contact(ctx, c2.ContactID); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("merged-away contact: got %v, want ErrNotFound", err)
	}
	restored, err := s.UndoMerge(ctx, mid)
	if err != nil || restored != c2.ContactID {
		t.Fatalf("undo: got %s, %v", restored, err)
	}
	back, _ := s.Contact(ctx, c2.ContactID)
	if back.Name != "Two" || len(back.Identities) != 2 {
		t.Fatalf("restored contact: got %+v", back)
	}
	if conv, _ := s.Conversation(ctx, c2.ID); conv.ContactID != c2.ContactID {
		t.Fatalf("restored conversation owner: got %s, want %s", conv.ContactID, c2.ContactID)
	}
	if _, err := s.UndoMerge(ctx, mid); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("second undo: got %v, want ErrConflict", err)
	}
	if _, err := s.MergeContacts(ctx, c1.ContactID, c1.ContactID); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("self merge: got %v, want ErrInvalid", err)
	}
}

func TestNotesAndLabels(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	c, _ := seedConversation(t, s, "n@example.com", 1, fixedNow())
	if err := s.AddNote(ctx, &inbox.Note{ConversationID: c.ID, Body: "Call back Tuesday"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, &inbox.Note{ConversationID: c.ID, Body: "   "}); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("empty note: got %v, want ErrInvalid", err)
	}
	if err := s.AddNote(ctx, &inbox.Note{ConversationID: "cv_missing", Body: "x"}); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("note on missing conversation: got %v, want ErrNotFound", err)
	}
	notes, _ := s.Notes(ctx, c.ID, "")
	if len(notes) != 1 || notes[0].Body != "Call back Tuesday" {
		t.Fatalf("notes: got %+v", notes)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM note_fts WHERE note_fts MATCH 'tuesday'`).Scan(&n)
	if n != 1 {
		t.Fatalf("note index: got %d rows, want 1", n)
	}
	if err := s.AddLabel(ctx, c.ID, "Urgent"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLabel(ctx, c.ID, "urgent"); err != nil { // same label, any case
		t.Fatal(err)
	}
	if err := s.AddLabel(ctx, "cv_missing", "Urgent"); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("label on missing conversation: got %v, want ErrNotFound", err)
	}
	got, _ := s.Conversation(ctx, c.ID)
	if len(got.Labels) != 1 {
		t.Fatalf("labels: got %v, want one", got.Labels)
	}
	if err := s.RemoveLabel(ctx, c.ID, "Urgent"); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Conversation(ctx, c.ID); len(got.Labels) != 0 {
		t.Fatalf("labels after removal: got %v", got.Labels)
	}
}
