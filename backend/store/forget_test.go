package store_test

import (
	"context"
	"errors"
	"testing"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

func count(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestForgetContact(t *testing.T) {
	ctx := context.Background()
	st := openDemo(t)
	alice, err := st.ContactByIdentity(ctx, inbox.ChannelEmail, "alice.smith@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddNote(ctx, &inbox.Note{ContactID: alice.ID, Body: "prefers pickup"}); err != nil {
		t.Fatal(err)
	}
	others := func() (convs, msgs, notes, idents int) {
		return count(t, st, `SELECT count(*) FROM conversations WHERE contact_id <> ?`, alice.ID),
			count(t, st, `SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id <> ?`, alice.ID),
			count(t, st, `SELECT count(*) FROM notes n LEFT JOIN conversations c ON c.id = n.conversation_id WHERE COALESCE(n.contact_id, c.contact_id) <> ?`, alice.ID),
			count(t, st, `SELECT count(*) FROM identities WHERE contact_id <> ?`, alice.ID)
	}
	if _, err := st.DB().Exec(`INSERT INTO identity_claims (contact_id, channel, address, at) VALUES (?, 'phone', '+4412345678', 0)`, alice.ID); err != nil {
		t.Fatal(err)
	}
	c0, m0, n0, i0 := others()
	aliceMsgs := count(t, st, `SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ?`, alice.ID)
	ftsBefore := count(t, st, `SELECT count(*) FROM message_fts WHERE message_fts MATCH 'helmet'`)
	if ftsBefore == 0 {
		t.Fatal("demo has no message about a helmet; fixture changed")
	}

	preview, err := st.ForgetPreview(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, `SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ?`, alice.ID); n != aliceMsgs {
		t.Fatalf("the preview deleted messages: %d left of %d", n, aliceMsgs)
	}
	res, err := st.ForgetContact(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if preview != res {
		t.Errorf("preview %+v, but forgetting did %+v", preview, res)
	}
	if res.Messages != aliceMsgs || res.Identities != 2 || res.Conversations != 3 || res.Notes != 2 {
		t.Errorf("got %+v, want %d messages, 2 identities, 3 conversations, 2 notes", res, aliceMsgs)
	}
	c1, m1, n1, i1 := others()
	if c0 != c1 || m0 != m1 || n0 != n1 || i0 != i1 {
		t.Errorf("others changed: conversations %d→%d, messages %d→%d, notes %d→%d, identities %d→%d", c0, c1, m0, m1, n0, n1, i0, i1)
	}
	for _, q := range []string{
		`SELECT count(*) FROM contacts WHERE id = ?1`,
		`SELECT count(*) FROM identities WHERE contact_id = ?1`,
		`SELECT count(*) FROM identity_claims WHERE contact_id = ?1`,
		`SELECT count(*) FROM message_refs WHERE seq NOT IN (SELECT seq FROM messages)`,
		`SELECT count(*) FROM conversations WHERE contact_id = ?1`,
		`SELECT count(*) FROM notes WHERE contact_id = ?1`,
		`SELECT count(*) FROM messages WHERE from_addr = 'alice.smith@example.com'`,
		`SELECT count(*) FROM message_raw WHERE seq NOT IN (SELECT seq FROM messages)`,
		`SELECT count(*) FROM attachments WHERE seq NOT IN (SELECT seq FROM messages)`,
		`SELECT count(*) FROM message_fts WHERE rowid NOT IN (SELECT seq FROM messages)`,
		`SELECT count(*) FROM note_fts WHERE rowid NOT IN (SELECT seq FROM notes)`,
		`SELECT count(*) FROM message_fts WHERE message_fts MATCH 'helmet'`,
	} {
		if n := count(t, st, q, alice.ID); n != 0 {
			t.Errorf("%s: got %d rows, want 0", q, n)
		}
	}
	if _, err := st.ForgetContact(ctx, alice.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("forgetting twice: got %v, want ErrNotFound", err)
	}
}
