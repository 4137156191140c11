package emailconn

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/syncer"
)

// rawMail writes one message with exactly the given threading headers.
func rawMail(from, to, subject, id, inReplyTo, refs, date, extra, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\nDate: %s\r\n", from, to, subject, id, date)
	if inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: %s\r\n", inReplyTo)
	}
	if refs != "" {
		fmt.Fprintf(&b, "References: %s\r\n", refs)
	}
	b.WriteString(extra)
	fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", body)
	return []byte(b.String())
}

// openTestStore opens a fresh SQLite store holding acct.
func openTestStore(t testing.TB, acct inbox.Account) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.CreateAccount(context.Background(), &acct); err != nil {
		t.Fatal(err)
	}
	return st
}

// groups returns each stored message's conversation as the sorted list of
// the subjects of the messages in it.
func groups(t *testing.T, st *store.Store, accountID string) map[string]string {
	t.Helper()
	ctx := context.Background()
	convs, err := st.Conversations(ctx, store.ListFilter{AccountID: accountID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range convs {
		ms, err := st.Messages(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range ms {
			names = append(names, m.Subject+" ("+strings.TrimSpace(m.Text)+")")
		}
		sort.Strings(names)
		for _, n := range names {
			if _, dup := out[n]; dup {
				t.Errorf("%q is stored twice", n)
			}
			out[n] = strings.Join(names, " | ")
		}
	}
	return out
}

// TestThreadsAsTheSyncer syncs one Dovecot mailbox twice, with the email
// syncer and through this connector and channels.Apply, and checks that
// both file every message in the same conversation: replies by
// In-Reply-To and References (also with a changed subject), the subject
// rule only within one customer, never for an auto-reply, one message in
// two folders stored once, two messages sharing a Message-ID both kept.
func TestThreadsAsTheSyncer(t *testing.T) {
	ctx := context.Background()
	e := newMailEnv(t, "acc_threads")
	const day = "Fri, 20 Nov 2026 "
	ana, bob, cleo, dan := "Ana <ana@c.example>", "Bob <bob@b.example>", "Cleo <cleo@c.example>", "Dan <dan@d.example>"
	inboxMail := [][]byte{
		rawMail(ana, owner, "Question", "<a1@c.example>", "", "", day+"09:00:00 +0000", "", "ana 1"),
		rawMail(bob, owner, "Question", "<b1@b.example>", "", "", day+"10:00:00 +0000", "", "bob 1"),
		rawMail(ana, owner, "Delivery address", "<a2@c.example>", "<s1@shop.example>", "<a1@c.example> <s1@shop.example>", day+"12:00:00 +0000", "", "ana 2"),
		rawMail(bob, owner, "Re: Question", "<b2@b.example>", "", "", day+"13:00:00 +0000", "Auto-Submitted: auto-replied\r\n", "bob away"),
		rawMail(cleo, owner, "Hello", "<c1@c.example>", "", "", day+"14:00:00 +0000", "", "cleo 1"),
		rawMail(dan, owner, "Order A", "<same@d.example>", "", "", day+"15:00:00 +0000", "", "dan a"),
		rawMail(dan, owner, "Order B", "<same@d.example>", "", "", day+"15:30:00 +0000", "", "dan b"),
		rawMail(ana, owner, "Question", "<a3@c.example>", "", "", "Sat, 21 Nov 2026 09:00:00 +0000", "", "ana 3"),
	}
	for _, raw := range inboxMail {
		if err := e.srv.Save(owner, "INBOX", raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.srv.Save(owner, "Sent", rawMail(owner, ana, "Re: Question", "<s1@shop.example>", "<a1@c.example>", "<a1@c.example>", day+"11:00:00 +0000", "", "shop 1")); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Save(owner, "Archive", inboxMail[4]); err != nil { // Cleo's, filed twice
		t.Fatal(err)
	}

	bySyncer := openTestStore(t, e.acct)
	sy := syncer.New(bySyncer, &syncer.Options{Auth: func(context.Context, inbox.Account, email.Config) (email.Auth, error) {
		return email.Auth{Password: password}, nil
	}})
	if _, err := sy.SyncAccount(ctx, e.acct); err != nil {
		t.Fatalf("syncer: %v", err)
	}
	byConnector := openTestStore(t, e.acct)
	c := e.connector(password)
	defer c.Close()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		_, changed, err := channels.SyncRound(ctx, byConnector, e.acct, c)
		if err != nil {
			t.Fatalf("connector: %v", err)
		}
		if !changed {
			break
		}
	}

	want := map[string]string{
		"Question (ana 1)":         "Delivery address (ana 2) | Question (ana 1) | Question (ana 3) | Re: Question (shop 1)",
		"Question (bob 1)":         "Question (bob 1)",
		"Re: Question (bob away)":  "Re: Question (bob away)",
		"Hello (cleo 1)":           "Hello (cleo 1)",
		"Order A (dan a)":          "Order A (dan a)",
		"Order B (dan b)":          "Order B (dan b)",
		"Delivery address (ana 2)": "Delivery address (ana 2) | Question (ana 1) | Question (ana 3) | Re: Question (shop 1)",
	}
	gotSyncer, gotConn := groups(t, bySyncer, e.acct.ID), groups(t, byConnector, e.acct.ID)
	if len(gotConn) != len(gotSyncer) || len(gotConn) != 9 {
		t.Errorf("stored %d messages through the connector and %d through the syncer, want 9 each", len(gotConn), len(gotSyncer))
	}
	for msg, conv := range gotSyncer {
		if gotConn[msg] != conv {
			t.Errorf("%s: connector filed it with [%s], the syncer with [%s]", msg, gotConn[msg], conv)
		}
	}
	for msg, conv := range want {
		if gotConn[msg] != conv {
			t.Errorf("%s: got conversation [%s], want [%s]", msg, gotConn[msg], conv)
		}
	}
}
