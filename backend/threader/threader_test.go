package threader

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

const shop = "shop@bikes.example"

type env struct {
	t   *testing.T
	ctx context.Context
	st  *store.Store
	th  *Threader
	acc *inbox.Account
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acc := &inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: shop}
	if err := st.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ctx: ctx, st: st, th: New(st, nil), acc: acc}
}

// msg describes a test message.
type msg struct {
	from, to, subject, id, irt, refs, body string
	date                                   time.Time
	extra                                  string
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func (m msg) raw() []byte {
	var b strings.Builder
	if m.to == "" {
		m.to = shop
	}
	if m.date.IsZero() {
		m.date = t0
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", m.from, m.to, m.subject, m.date.Format(time.RFC1123Z))
	if m.id != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\r\n", m.id)
	}
	if m.irt != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\n", m.irt)
	}
	if m.refs != "" {
		var rs []string
		for _, r := range strings.Fields(m.refs) {
			rs = append(rs, "<"+r+">")
		}
		fmt.Fprintf(&b, "References: %s\r\n", strings.Join(rs, " "))
	}
	b.WriteString(m.extra)
	if m.body == "" {
		m.body = "Hello about " + m.subject + " " + m.id
	}
	fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", m.body)
	return []byte(b.String())
}

func (e *env) ingest(m msg, sent bool) Result {
	e.t.Helper()
	p := email.Parse(m.raw())
	r, err := e.th.Ingest(e.ctx, Input{Account: e.acc, Sent: sent, Message: p.Message, Warnings: p.Warnings})
	if err != nil {
		e.t.Fatalf("ingest %s: %v", m.id, err)
	}
	return r
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.st.DB().QueryRowContext(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// step is one message of a scenario and where it must land: in the
// conversation of an earlier step (same) or a new one (-1).
type step struct {
	m      msg
	sent   bool
	same   int // index of the earlier step whose conversation it joins; -1: new
	reason inbox.ThreadReason
}

func TestThreading(t *testing.T) {
	ann, bob := "Ann <ann@example.com>", "Bob <bob@example.org>"
	cases := []struct {
		name  string
		steps []step
	}{
		{"a reply joins by In-Reply-To even with a new subject", []step{
			{msg{from: ann, subject: "Order 12", id: "a1@x"}, false, -1, inbox.ReasonNew},
			{msg{from: shop, to: ann, subject: "Re: Order 12", id: "s1@bikes", irt: "a1@x", refs: "a1@x", date: t0.Add(time.Hour)}, false, 0, inbox.ReasonReplyTo},
			{msg{from: ann, subject: "Different topic now", id: "a2@x", irt: "s1@bikes", date: t0.Add(2 * time.Hour)}, false, 0, inbox.ReasonReplyTo},
		}},
		{"References alone thread", []step{
			{msg{from: ann, subject: "Order 12", id: "a1@x"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "More", id: "a2@x", refs: "a1@x", date: t0.Add(time.Hour)}, false, 0, inbox.ReasonReferences},
		}},
		{"Apple Mail truncated References still thread on the root", []step{
			{msg{from: ann, subject: "Long thread", id: "r0@x"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Re: Long thread", id: "r9@x", refs: "r0@x r6@x r7@x r8@x", irt: "r8@x", date: t0.Add(9 * time.Hour)}, false, 0, inbox.ReasonReferences},
		}},
		{"siblings under an unseen root share a conversation", []step{
			{msg{from: ann, subject: "Re: Newsletter offer", id: "c1@x", irt: "root@bikes", refs: "root@bikes"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Re: Newsletter offer", id: "c2@x", irt: "root@bikes", refs: "root@bikes", date: t0.Add(time.Hour)}, false, 0, inbox.ReasonReferences},
		}},
		{"a reply synced before its parent pulls the parent in", []step{
			{msg{from: ann, subject: "Re: Order 12", id: "a2@x", irt: "s1@bikes", refs: "a1@x s1@bikes", date: t0.Add(2 * time.Hour)}, false, -1, inbox.ReasonNew},
			{msg{from: shop, to: ann, subject: "Re: Order 12", id: "s1@bikes", irt: "a1@x", refs: "a1@x", date: t0.Add(time.Hour)}, true, 0, inbox.ReasonReferences},
			{msg{from: ann, subject: "Order 12", id: "a1@x"}, false, 0, inbox.ReasonReferences},
		}},
		{"two customers writing the same subject get two conversations", []step{
			{msg{from: ann, subject: "Question", id: "a1@x"}, false, -1, inbox.ReasonNew},
			{msg{from: bob, subject: "Question", id: "b1@y", date: t0.Add(time.Minute)}, false, -1, inbox.ReasonNew},
		}},
		{"a customer's reply without headers threads by subject", []step{
			{msg{from: ann, subject: "Order 12", id: "a1@x"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "RE: Order 12", id: "a2@x", date: t0.Add(48 * time.Hour)}, false, 0, inbox.ReasonSubject},
			{msg{from: ann, subject: "AW: [EXT] order 12", id: "a3@x", date: t0.Add(72 * time.Hour)}, false, 0, inbox.ReasonSubject},
		}},
		{"the subject rule is bounded in time", []step{
			{msg{from: ann, subject: "Question", id: "a1@x"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Question", id: "a2@x", date: t0.Add(10 * 24 * time.Hour)}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Re: Question", id: "a3@x", date: t0.Add(90 * 24 * time.Hour)}, false, -1, inbox.ReasonNew},
		}},
		{"auto mail is never glued by subject", []step{
			{msg{from: ann, subject: "Order 12", id: "a1@x"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Order 12", id: "oof@x", extra: "Auto-Submitted: auto-replied\r\n", date: t0.Add(time.Hour)}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Automatic reply: Order 12", id: "oof2@x", irt: "a1@x", date: t0.Add(2 * time.Hour)}, false, 0, inbox.ReasonReplyTo},
		}},
		{"human mail is not glued to an auto-only conversation", []step{
			{msg{from: ann, subject: "Weekly news", id: "n1@x", extra: "List-Id: <news.example.com>\r\n"}, false, -1, inbox.ReasonNew},
			{msg{from: ann, subject: "Re: Weekly news", id: "a1@x", date: t0.Add(time.Hour)}, false, -1, inbox.ReasonNew},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			var convs []string
			for i, s := range tc.steps {
				r := e.ingest(s.m, s.sent)
				convs = append(convs, r.ConversationID)
				if s.same < 0 {
					for j, c := range convs[:i] {
						if c == r.ConversationID {
							t.Errorf("step %d (%s): joined step %d's conversation, want a new one", i, s.m.id, j)
						}
					}
				} else if r.ConversationID != convs[s.same] {
					t.Errorf("step %d (%s): got conversation %s, want step %d's %s", i, s.m.id, r.ConversationID, s.same, convs[s.same])
				}
				if r.Reason != s.reason {
					t.Errorf("step %d (%s): reason got %s, want %s", i, s.m.id, r.Reason, s.reason)
				}
			}
		})
	}
}

func TestIdempotent(t *testing.T) {
	e := newEnv(t)
	m := msg{from: "ann@example.com", subject: "Hi", id: "a1@x"}
	r1 := e.ingest(m, false)
	r2 := e.ingest(m, false) // synced again, or found in a second folder
	if !r1.Created || r2.Created {
		t.Errorf("created: got %v then %v, want true then false", r1.Created, r2.Created)
	}
	if r1.MessageID != r2.MessageID || r1.Seq != r2.Seq {
		t.Errorf("ids: got %s/%d and %s/%d, want the same", r1.MessageID, r1.Seq, r2.MessageID, r2.Seq)
	}
	// The same message with CRLF turned into LF (an mbox import) is the same.
	raw := strings.ReplaceAll(string(m.raw()), "\r\n", "\n")
	p := email.Parse([]byte(raw))
	r3, err := e.th.Ingest(e.ctx, Input{Account: e.acc, Message: p.Message})
	if err != nil || r3.Created {
		t.Errorf("LF copy: created %v err %v, want an existing message", r3.Created, err)
	}
	// Same Message-ID, different content: both kept.
	m2 := m
	m2.body = "A different message that reuses the ID"
	r4 := e.ingest(m2, false)
	if !r4.Created || r4.MessageID == r1.MessageID {
		t.Errorf("same Message-ID, other content: created %v id %s, want a second message", r4.Created, r4.MessageID)
	}
	if n := e.count(`SELECT count(*) FROM messages`); n != 2 {
		t.Errorf("messages: got %d, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM message_fts`); n != 2 {
		t.Errorf("index rows: got %d, want 2", n)
	}
}

func TestDirectionAndContact(t *testing.T) {
	e := newEnv(t)
	out := e.ingest(msg{from: "Shop <SHOP@bikes.example>", to: "Ann <ann@example.com>", subject: "Your order", id: "s1@bikes"}, false)
	m, err := e.st.Message(e.ctx, out.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Direction != inbox.Out {
		t.Errorf("from our address: direction %s, want out", m.Direction)
	}
	c, err := e.st.Conversation(e.ctx, out.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := e.st.Contact(e.ctx, c.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ct.Identities) != 1 || ct.Identities[0].Address != "ann@example.com" {
		t.Errorf("contact of an outgoing message: got %+v, want ann@example.com", ct.Identities)
	}
	if c.Status != inbox.StatusPending {
		t.Errorf("conversation we started: status %s, want pending", c.Status)
	}
	sent := e.ingest(msg{from: "alias@bikes.example", to: "bob@example.org", subject: "From the Sent folder", id: "s2@bikes"}, true)
	m2, _ := e.st.Message(e.ctx, sent.MessageID)
	if m2.Direction != inbox.Out {
		t.Errorf("from Sent: direction %s, want out", m2.Direction)
	}
	in := e.ingest(msg{from: "Ann <ann@example.com>", subject: "Re: Your order", id: "a1@x", irt: "s1@bikes", date: t0.Add(time.Hour)}, false)
	if in.ConversationID != out.ConversationID {
		t.Errorf("customer reply: conversation %s, want %s", in.ConversationID, out.ConversationID)
	}
	if !in.Reopened {
		t.Errorf("customer reply to a pending conversation: Reopened false, want true")
	}
}

func TestInboundReopens(t *testing.T) {
	cases := []struct {
		name   string
		status inbox.Status
		m      msg
		want   inbox.Status
	}{
		{"closed reopens on a newer customer message", inbox.StatusClosed,
			msg{from: "ann@example.com", subject: "Re: Order", id: "a2@x", irt: "a1@x", date: t0.Add(time.Hour)}, inbox.StatusOpen},
		{"snoozed reopens", inbox.StatusSnoozed,
			msg{from: "ann@example.com", subject: "Re: Order", id: "a2@x", irt: "a1@x", date: t0.Add(time.Hour)}, inbox.StatusOpen},
		{"an older message caught up by sync leaves it closed", inbox.StatusClosed,
			msg{from: "ann@example.com", subject: "Order", id: "a0@x", refs: "a1@x", date: t0.Add(-time.Hour)}, inbox.StatusClosed},
		{"an auto-reply leaves it closed", inbox.StatusClosed,
			msg{from: "ann@example.com", subject: "Out of office", id: "oof@x", irt: "a1@x", date: t0.Add(time.Hour)}, inbox.StatusClosed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			first := e.ingest(msg{from: "ann@example.com", subject: "Order", id: "a1@x"}, false)
			until := time.Now().Add(48 * time.Hour)
			if err := e.st.SetStatus(e.ctx, first.ConversationID, tc.status, until); err != nil {
				t.Fatal(err)
			}
			r := e.ingest(tc.m, false)
			if r.ConversationID != first.ConversationID {
				t.Fatalf("joined %s, want %s", r.ConversationID, first.ConversationID)
			}
			c, _ := e.st.Conversation(e.ctx, first.ConversationID)
			if c.Status != tc.want {
				t.Errorf("status: got %s, want %s", c.Status, tc.want)
			}
			if tc.want == inbox.StatusOpen && !c.SnoozedUntil.IsZero() {
				t.Errorf("snooze kept after reopening: %v", c.SnoozedUntil)
			}
		})
	}
}

func TestUnparseableIsKept(t *testing.T) {
	e := newEnv(t)
	raw := []byte{0x00, 0x01, 0xff, 'x'}
	p := email.Parse(raw)
	r, err := e.th.Ingest(e.ctx, Input{Account: e.acc, Message: p.Message})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := e.st.Message(e.ctx, r.MessageID)
	if m.ParseError == "" {
		t.Errorf("ParseError lost")
	}
	got, err := e.st.RawMessage(e.ctx, r.MessageID)
	if err != nil || string(got) != string(raw) {
		t.Errorf("raw: got %q %v, want %q", got, err, raw)
	}
}

func TestCleanSubject(t *testing.T) {
	cases := map[string]string{
		"Re: Fwd: Order 12": "Order 12",
		"RE[2]: AW: Frage":  "Frage",
		"回复：订单":             "订单",
		"Order 12":          "Order 12",
		"Re:":               "",
		"Reply needed":      "Reply needed",
		"Ｒｅ：ご注文":            "ご注文",
	}
	for in, want := range cases {
		if got := CleanSubject(in); got != want {
			t.Errorf("CleanSubject(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestSplitAndMerge(t *testing.T) {
	e := newEnv(t)
	a := e.ingest(msg{from: "ann@example.com", subject: "Order 12", id: "a1@x"}, false)
	b := e.ingest(msg{from: "ann@example.com", subject: "Re: Order 12", id: "a2@x", date: t0.Add(time.Hour)}, false) // glued by subject
	if a.ConversationID != b.ConversationID {
		t.Fatalf("setup: not one conversation")
	}
	if err := e.st.AddNote(e.ctx, &inbox.Note{ConversationID: a.ConversationID, Body: "VIP"}); err != nil {
		t.Fatal(err)
	}
	newID, err := e.th.Split(e.ctx, b.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := e.st.Message(e.ctx, b.MessageID)
	if m.ConversationID != newID || m.ThreadReason != inbox.ReasonManual {
		t.Errorf("split message: conversation %s reason %s, want %s manual", m.ConversationID, m.ThreadReason, newID)
	}
	for id, want := range map[string]int{a.ConversationID: 1, newID: 1} {
		if c, _ := e.st.Conversation(e.ctx, id); c.MessageCount != want {
			t.Errorf("conversation %s: %d messages, want %d", id, c.MessageCount, want)
		}
	}
	if _, err := e.th.Split(e.ctx, a.MessageID); err == nil {
		t.Errorf("splitting the only message of a conversation succeeded")
	}
	if err := e.th.Merge(e.ctx, newID, a.ConversationID); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.st.Conversation(e.ctx, newID); c.MessageCount != 2 {
		t.Errorf("after merge: %d messages, want 2", c.MessageCount)
	}
	if _, err := e.st.Conversation(e.ctx, a.ConversationID); err == nil {
		t.Errorf("the emptied conversation still exists")
	}
	if notes, _ := e.st.Notes(e.ctx, newID, ""); len(notes) != 1 {
		t.Errorf("notes after merge: %d, want 1", len(notes))
	}
}
