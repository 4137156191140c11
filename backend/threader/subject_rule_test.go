package threader

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// TestSubjectRuleAsBefore files a heavy customer's mail (hundreds of
// conversations, subjects with and without markers, tags and case changes,
// some auto mail, in random order) and checks every message lands where the
// subject rule as it was before stored keys puts it: a walk of all the
// customer's recent conversations comparing subject keys in Go.
func TestSubjectRuleAsBefore(t *testing.T) {
	e := newEnv(t)
	rng := rand.New(rand.NewSource(7))
	marks := []string{"", "", "Re: ", "RE: ", "[EXT] ", "AW: ", "Fwd: Re: ", "RE[2]: ", "[shop] Re: "}
	joined := 0
	for i := 0; i < 400; i++ {
		from := "Ann <ann@example.com>"
		if i%6 == 5 {
			from = "Bob <bob@example.org>"
		}
		subject := marks[rng.Intn(len(marks))] + fmt.Sprintf("Order %d", rng.Intn(60))
		if rng.Intn(4) == 0 {
			subject = strings.ToUpper(subject)
		}
		m := msg{from: from, subject: subject, id: fmt.Sprintf("m%d@x", i),
			date: t0.Add(time.Duration(rng.Intn(90*24*60)) * time.Minute)}
		if rng.Intn(6) == 0 {
			m.extra = "Auto-Submitted: auto-replied\r\n"
		}
		want := e.oldSubjectRule(m)
		r := e.ingest(m, false)
		switch {
		case want != "" && (r.ConversationID != want || r.Reason != inbox.ReasonSubject):
			t.Errorf("message %d %q: got %s (%s), want %s by subject", i, subject, r.ConversationID, r.Reason, want)
		case want == "" && !r.NewConversation:
			t.Errorf("message %d %q: joined %s (%s), want a new conversation", i, subject, r.ConversationID, r.Reason)
		}
		if want != "" {
			joined++
		}
	}
	if joined < 50 {
		t.Errorf("only %d messages joined by subject: the test proved little", joined)
	}
}

// oldSubjectRule is the subject rule before stored keys, for a message
// with no references: the conversation it joins, or "".
func (e *env) oldSubjectRule(m msg) string {
	e.t.Helper()
	if m.extra != "" { // auto mail
		return ""
	}
	addr := m.from[strings.Index(m.from, "<")+1 : len(m.from)-1]
	var contact string
	err := e.st.DB().QueryRowContext(e.ctx, `SELECT contact_id FROM identities WHERE channel = 'email' AND address = ?`, addr).Scan(&contact)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		e.t.Fatal(err)
	}
	key := inbox.SubjectKey(m.subject) // the same as before (inbox's TestSubjectKeySkipsOnlyWhatCannotMatch)
	if key == "" {
		return ""
	}
	window := 3 * 24 * time.Hour
	if IsReplySubject(m.subject) {
		window = 30 * 24 * time.Hour
	}
	rows, err := e.st.DB().QueryContext(e.ctx, `SELECT c.id, c.subject FROM conversations c
		WHERE c.contact_id = ? AND c.account_id = ? AND c.channel = 'email' AND c.last_message_at >= ?
		ORDER BY c.last_message_at DESC`, contact, e.acc.ID, m.date.Add(-window).UnixMilli())
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id, subject string
		if err := rows.Scan(&id, &subject); err != nil {
			e.t.Fatal(err)
		}
		if inbox.SubjectKey(subject) == key {
			ids = append(ids, id)
		}
	}
	rows.Close()
	kept := 0
	for _, id := range ids {
		if kept == 50 {
			break
		}
		var first sql.NullInt64
		var human bool
		if err := e.st.DB().QueryRowContext(e.ctx, `SELECT min(m.sent_at), EXISTS (SELECT 1 FROM messages h WHERE h.conversation_id = ?1 AND h.auto = 0)
			FROM messages m WHERE m.conversation_id = ?1`, id).Scan(&first, &human); err != nil {
			e.t.Fatal(err)
		}
		if !first.Valid || first.Int64 > m.date.Add(window).UnixMilli() {
			continue
		}
		kept++
		if human {
			return id
		}
	}
	return ""
}
