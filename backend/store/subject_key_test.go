package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// TestSubjectKeyMigration builds a store just before the subject-key
// migration with conversations in it, opens it, and checks that every
// conversation got inbox.SubjectKey of its subject, that the subject rule's
// query finds an old conversation by its key through the new index, and
// that a new conversation is stored with its key.
func TestSubjectKeyMigration(t *testing.T) {
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	at := -1
	for i, m := range all {
		if strings.HasSuffix(m.name, "_subject_key.sql") {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("no subject key migration")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{db: db, path: path, now: fixedNow}
	for _, m := range all[:at] {
		if err := old.apply(ctx, m); err != nil {
			t.Fatalf("apply %s: %v", m.name, err)
		}
	}
	subjects := map[string]string{
		"cv_1": "Re: [EXT] AW:  Order   12",
		"cv_2": "Question",
		"cv_3": "",
		"cv_4": "回复：订单 12",
		"cv_5": "Order 12", // another customer's
	}
	for _, q := range []string{
		`INSERT INTO accounts (id, channel, name, address, config, created_at) VALUES ('ac_1', 'email', 'Shop', 'shop@example.com', '{}', 1)`,
		`INSERT INTO contacts (id, name, created_at) VALUES ('ct_1', 'Ada', 1), ('ct_2', 'Bo', 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for id, subj := range subjects {
		contact := "ct_1"
		if id == "cv_5" {
			contact = "ct_2"
		}
		if _, err := db.Exec(`INSERT INTO conversations (id, account_id, contact_id, channel, subject, status, created_at, last_message_at)
			VALUES (?, 'ac_1', ?, 'email', ?, 'open', 1, ?)`, id, contact, subj, fixedNow().UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO messages (id, account_id, conversation_id, channel, direction, sent_at, received_at, subject, body_text)
			VALUES (?, 'ac_1', ?, 'email', 'in', ?, ?, ?, 'text')`, "msg_"+id, id, fixedNow().UnixMilli(), fixedNow().UnixMilli(), subj); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for id, subj := range subjects {
		var key string
		if err := s.db.QueryRowContext(ctx, `SELECT subject_key FROM conversations WHERE id = ?`, id).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if want := inbox.SubjectKey(subj); key != want {
			t.Errorf("%s %q: got key %q, want %q", id, subj, key, want)
		}
	}
	var cands []SubjectCandidate
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		cands, err = s.SubjectCandidatesTx(ctx, tx, "ac_1", "ct_1", inbox.SubjectKey("RE: order 12"), fixedNow().Add(-time.Hour), fixedNow().Add(time.Hour))
		return err
	})
	if err != nil || len(cands) != 1 || cands[0].ID != "cv_1" || !cands[0].Human {
		t.Errorf("candidates for ct_1's \"RE: order 12\": got %+v, %v, want cv_1 alone", cands, err)
	}
	plan := explain(t, s, `SELECT c.id, c.subject, c.last_message_at FROM conversations c
		WHERE c.contact_id = ? AND c.subject_key = ? AND c.account_id IS ? AND c.channel = 'email' AND c.last_message_at >= ?
		ORDER BY c.last_message_at DESC`, "ct_1", "order 12", "ac_1", 0)
	if !strings.Contains(plan, "conversations_contact_key (contact_id=? AND subject_key=?)") {
		t.Errorf("subject rule: got plan %q, want a seek of conversations_contact_key on contact and key", plan)
	}
	if plan := explain(t, s, `SELECT c.id FROM conversations c WHERE c.contact_id = ? ORDER BY c.last_message_at DESC, c.id DESC LIMIT 50`, "ct_1"); !strings.Contains(plan, "conversations_contact_key (contact_id=?)") {
		t.Errorf("a customer's conversations: got plan %q, want a seek of conversations_contact_key", plan)
	}

	c := inbox.Conversation{AccountID: "ac_1", ContactID: "ct_1", Channel: inbox.ChannelEmail, Subject: "[EXT] Fwd: Bike  Repair"}
	if err := s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateConversationTx(ctx, tx, &c) }); err != nil {
		t.Fatal(err)
	}
	var key string
	if err := s.db.QueryRowContext(ctx, `SELECT subject_key FROM conversations WHERE id = ?`, c.ID).Scan(&key); err != nil || key != "bike repair" {
		t.Errorf("new conversation's key: got %q, %v, want %q", key, err, "bike repair")
	}
}

// explain returns the query plan of q with args bound.
func explain(t *testing.T, s *Store, q string, args ...any) string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}
