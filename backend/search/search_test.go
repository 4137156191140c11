package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"tidings/backend/inbox"
)

func TestSearch(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		q    string
		want string // conversation names, newest match first
	}{
		{"invoice", "invoice"},
		{"INVOICE", "invoice"},
		{"delivery", "cafe late helmet"},
		{"deliver*", "cafe late helmet"},
		{`"late delivery"`, "late"},
		{"late delivery", "cafe late"},
		{"delivery -late", "helmet"},
		{"delivery NOT late", "helmet"},
		{"helmet OR invoice", "invoice helmet"},
		{"(helmet OR invoice) spain", "helmet"},
		{"cafe", "cafe"},
		{"muller", "invoice"},
		{"Müller", "invoice"},
		{"invoice-1001.pdf", "invoice"},
		{"1001", "invoice"},
		{"from:anna", "invoice"},
		{"from:acme.example", "invoice"},
		{"from:@acme.example", "invoice"},
		{"from:anna@acme.example", "invoice"},
		{"from:ANNA@Acme.example paid", ""},
		{"from:anna@acme.example OR from:bob@builder.example", "late invoice"},
		{"from:Müller", "invoice"},
		{"from:muller paid", ""},
		{"to:anna paid", "invoice"},
		{"from:bob", "late"},
		{`from:"bob builder" office`, "late"},
		{"to:carla", "helmet"},
		{"from:zoe", "cafe"},
		{"channel:telegram", "cafe"},
		{"channel:email delivery", "late helmet"},
		{"account:shop delivery", "late helmet"},
		{"account:bot", "cafe"},
		{"label:billing", "invoice"},
		{"label:BILLING invoice", "invoice"},
		{"-label:billing invoice", ""},
		{"status:closed", "invoice"},
		{"status:pending", "late"},
		{"status:open delivery", "cafe helmet"},
		{"is:unread", "cafe late"},
		{"is:auto", "late"},
		{"has:attachment", "invoice"},
		{"after:7d", "cafe late"},
		{"before:7d", "invoice helmet"},
		{"after:2026-11-01 before:2026-11-20", "invoice"},
		{"after:yesterday", "cafe"},
		{"phone", "late"},
		{"vip status:pending", "late"},
		{"vip status:open", ""},
		{"vip from:bob", ""},
		{"nothinglikethis", ""},
		{"-delivery", "invoice helmet"},
		{"-invoice -delivery", "helmet"},
		{"-delivery -helmet", "invoice"},
		{"from:bob OR from:zoe", "cafe late"},
		{"office OR label:parts", "late helmet"},
	}
	for _, force := range []string{"", "set", "walk"} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("plan=%s/%s", force, c.q), func(t *testing.T) {
				f.s.Force = force
				res, err := f.s.Search(context.Background(), Request{Query: c.q})
				if err != nil {
					t.Fatalf("Search(%q): %v", c.q, err)
				}
				got := strings.Join(f.names(res.Hits), " ")
				if got != c.want {
					t.Errorf("Search(%q) = [%s] (plan %s), want [%s]", c.q, got, res.Plan, c.want)
				}
			})
		}
	}
}

func TestSearchHitIsNewestMatch(t *testing.T) {
	f := newFixture(t)
	res, err := f.s.Search(context.Background(), Request{Query: "invoice"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("got %v, %v", res.Hits, err)
	}
	h := res.Hits[0]
	if got := f.name(h.MessageID); got != "invoice2" {
		t.Errorf("hit message = %s, want invoice2 (the newest match)", got)
	}
	if got := h.Snippet.Marked("[", "]"); got != "Thanks Anna, the [invoice] is paid." {
		t.Errorf("snippet = %q", got)
	}
	if h.Subject != "Re: Invoice 1001" || h.From != shop.Address || !h.Date.Equal(day(9)) {
		t.Errorf("hit = %+v", h)
	}
}

func TestSearchNoteHit(t *testing.T) {
	f := newFixture(t)
	res, err := f.s.Search(context.Background(), Request{Query: "phone"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("got %v, %v", res.Hits, err)
	}
	h := res.Hits[0]
	if h.NoteID == "" || h.MessageID != "" {
		t.Errorf("hit = %+v, want a note hit", h)
	}
	if got := h.Snippet.Marked("[", "]"); got != "VIP customer, prefers a [phone] call" {
		t.Errorf("snippet = %q", got)
	}
}

func TestSearchPaging(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"delivery OR invoice OR phone", "-nothinglikethis", "a* OR d* OR i*"} {
		for _, force := range []string{"", "index", "set", "walk"} {
			f.s.Force = force
			all, err := f.s.Search(context.Background(), Request{Query: q, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var paged []Hit
			after := ""
			for i := 0; i < 10; i++ {
				res, err := f.s.Search(context.Background(), Request{Query: q, Limit: 1, After: after})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, res.Hits...)
				if res.Next == "" {
					break
				}
				after = res.Next
			}
			want, got := strings.Join(f.names(all.Hits), " "), strings.Join(f.names(paged), " ")
			if got != want || len(all.Hits) < 3 {
				t.Errorf("%q plan %q: pages of one = [%s], one page = [%s]", q, force, got, want)
			}
		}
	}
}

func TestSearchRelevance(t *testing.T) {
	f := newFixture(t)
	res, err := f.s.Search(context.Background(), Request{Query: "delivery", Order: Relevance})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan != "relevance" || len(res.Hits) != 3 {
		t.Fatalf("got plan %s, %v", res.Plan, f.names(res.Hits))
	}
	// "late" has the word in its subject (weighted) and twice in bodies.
	if got := f.names(res.Hits)[0]; got != "late" {
		t.Errorf("best = %s, want late", got)
	}
	if _, err := f.s.Search(context.Background(), Request{Query: "x", Order: "random"}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("unknown order: err = %v, want ErrInvalid", err)
	}
}

func TestSearchIndexFollowsChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	count := func(q string) int {
		res, err := f.s.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Hits)
	}
	if err := f.st.DeleteMessage(ctx, f.ids["cafe1"]); err != nil {
		t.Fatal(err)
	}
	if n := count("racer"); n != 0 {
		t.Errorf("after delete, racer found %d times, want 0", n)
	}
	db := f.st.DB()
	if _, err := db.ExecContext(ctx, `UPDATE messages SET body_text = 'The tandem arrived safely' WHERE id = ?`, f.ids["helmet1"]); err != nil {
		t.Fatal(err)
	}
	if count("tandem") != 1 || count("58") != 1 || count("from:carla helmet") != 1 {
		t.Errorf("after an edit: tandem %d, 58 %d (only the reply keeps it), from:carla helmet %d; want 1 each",
			count("tandem"), count("58"), count("from:carla helmet"))
	}
	if _, err := db.ExecContext(ctx, `UPDATE notes SET body = 'prefers email'`); err != nil {
		t.Fatal(err)
	}
	if count("phone") != 0 || count("prefers") != 1 {
		t.Errorf("after a note edit: phone %d, prefers %d; want 0, 1", count("phone"), count("prefers"))
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM notes`); err != nil {
		t.Fatal(err)
	}
	if n := count("prefers"); n != 0 {
		t.Errorf("after deleting notes, prefers found %d times", n)
	}
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM message_fts`).Scan(&n)
	var m int
	db.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&m)
	if n != m {
		t.Errorf("index has %d rows, messages %d", n, m)
	}
}

func TestSearchHostileInput(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, q := range []string{
		`"a" OR 1=1 --`, `'; DROP TABLE messages; --`, `NEAR(invoice paid)`, `"invoice" AND "paid"`,
		`"subject:invoice"`, `from:"x"" OR 1"`, `label:') OR 1=1 --`, `account:%`, `"*"`, `"^invoice"`,
		`invoice:`, `"a" + "b"`, `"NEAR(a b, 2)"`, "\"\u0000\"",
	} {
		res, err := f.s.Search(ctx, Request{Query: q})
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("Search(%q): %v, want a result or a query *Error", q, err)
		}
		_ = res
	}
	var n int
	if err := f.st.DB().QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil || n != 8 {
		t.Errorf("messages = %d, %v; want 8", n, err)
	}
}
