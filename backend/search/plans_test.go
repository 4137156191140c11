package search

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// TestPlansAgree checks that reading every match from the index and walking
// messages newest first give the same pages, on a store whose row order and
// date order disagree (mail inserted in random date order), and that paging
// through either gives the single page.
func TestPlansAgree(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := rand.New(rand.NewSource(7))
	vocab := make([]string, 120)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%03d", i)
	}
	people := make([]inbox.Address, 12)
	for i := range people {
		people[i] = inbox.Address{Name: fmt.Sprintf("Person %c", 'A'+i), Address: fmt.Sprintf("p%d@x%d.example", i, i%3)}
	}
	word := func() string {
		// Skewed: low indexes are common.
		return vocab[int(float64(len(vocab))*r.Float64()*r.Float64()*r.Float64())]
	}
	const nConv, nMsg = 150, 900
	convs := make([]string, nConv)
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for i := range convs {
			c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: word()}
			if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			convs[i] = c.ID
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < nMsg; i++ {
			var b strings.Builder
			for k := 0; k < 5+r.Intn(25); k++ {
				b.WriteString(word() + " ")
			}
			at := base.Add(time.Duration(r.Intn(300*24)) * time.Hour)
			if i%10 == 0 {
				at = base.Add(time.Duration(r.Intn(24)) * time.Hour) // equal dates
			}
			m := inbox.Message{ConversationID: convs[r.Intn(nConv)], Channel: inbox.ChannelEmail, Direction: inbox.In,
				Date: at, ReceivedAt: at, From: people[r.Intn(len(people))], To: []inbox.Address{people[r.Intn(len(people))]},
				Subject: word(), Text: b.String()}
			if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"w000", "w001", "w005", "w020", "w060", "w000 w001", "w002 w010", "w003 OR w050", "w000 -w001",
		"from:p3@x0.example w000", "from:x1.example", `"w000 w000"`, "w00*", "-w000", "to:p5@x2.example w004 OR w007", "w119 OR w118",
		"from:P3@X0.example w001", "from:p3@x0.example w000 -w001", "from:p4@x1.example (w002 OR w003)", "from:p4@x1.example -w000",
		"from:p4@x1.example from:p3@x0.example w000", "from:nobody@x0.example w000"}
	s := New(st, nil)
	run := func(q string, force string, limit int, after string) Result {
		// "wide": the walk with no expression counted as few, so from: with
		// an address is not narrowed by the index either.
		s.Force, s.Exhaustive = force, 0
		if force == "wide" {
			s.Force, s.Exhaustive = "walk", 1
		}
		res, err := s.Search(ctx, Request{Query: q, Limit: limit, After: after})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		return res
	}
	ids := func(hs []Hit) string {
		var b strings.Builder
		for _, h := range hs {
			b.WriteString(h.ConversationID + "/" + h.MessageID + " ")
		}
		return b.String()
	}
	plans := map[string]bool{}
	for _, q := range queries {
		index := run(q, "index", MaxLimit, "")
		for _, force := range []string{"set", "walk", "wide"} {
			other := run(q, force, MaxLimit, "")
			if ids(index.Hits) != ids(other.Hits) {
				t.Errorf("%q: index plan (%s) and %s plan (%s) differ:\n%s\n%s", q, index.Plan, force, other.Plan, ids(index.Hits), ids(other.Hits))
			}
		}
		auto := run(q, "", MaxLimit, "")
		plans[auto.Plan] = true
		if ids(index.Hits) != ids(auto.Hits) {
			t.Errorf("%q: index plan and chosen plan (%s) differ:\n%s\n%s", q, auto.Plan, ids(index.Hits), ids(auto.Hits))
		}
		for i := 1; i < len(index.Hits); i++ {
			if index.Hits[i].Date.After(index.Hits[i-1].Date) {
				t.Errorf("%q: hit %d is newer than hit %d", q, i, i-1)
			}
		}
		for _, force := range []string{"", "index", "set", "walk", "wide"} {
			var paged []Hit
			after := ""
			for page := 0; page < 100; page++ {
				res := run(q, force, 7, after)
				paged = append(paged, res.Hits...)
				if res.Next == "" {
					break
				}
				after = res.Next
			}
			if ids(paged) != ids(index.Hits) {
				t.Errorf("%q plan %q: pages of 7 differ from one page:\n%s\n%s", q, force, ids(paged), ids(index.Hits))
			}
		}
	}
	// By relevance: pages of 7 follow the single page, whose order is by
	// score then newest; the look-ups stop early without changing it.
	for _, q := range queries {
		s.Force, s.Exhaustive = "", 0
		one, err := s.Search(ctx, Request{Query: q, Limit: MaxLimit, Order: Relevance})
		if err != nil {
			t.Fatal(err)
		}
		var paged []Hit
		after := ""
		for page := 0; page < 200; page++ {
			res, err := s.Search(ctx, Request{Query: q, Limit: 7, Order: Relevance, After: after})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, res.Hits...)
			if res.Next == "" {
				break
			}
			after = res.Next
		}
		if ids(paged) != ids(one.Hits) {
			t.Errorf("%q by relevance: pages of 7 differ from one page:\n%s\n%s", q, ids(paged), ids(one.Hits))
		}
		for i := 1; i < len(one.Hits); i++ {
			a, b := one.Hits[i-1], one.Hits[i]
			if a.score > b.score || (a.score == b.score && a.key.less(b.key)) {
				t.Errorf("%q by relevance: hit %d (%v %v) ranks before hit %d (%v %v)", q, i-1, a.score, a.key, i, b.score, b.key)
			}
		}
	}
	for _, want := range []string{"index", "set", "filter"} {
		if !plans[want] {
			t.Errorf("no query used the %s plan (plans: %v)", want, plans)
		}
	}
}

// TestSenderNarrowing checks that from: with a whole address adds the
// address's words, less the last label of the domain, to the index
// expression when there are words whose many matches it makes few, and
// only then.
func TestSenderNarrowing(t *testing.T) {
	// The words alone have many matches, with the sender few.
	few := func(e string) bool { return strings.Contains(e, "people") }
	for _, c := range []struct{ q, want string }{
		{"from:Ann.Lee@shop.example.com invoice", `{people} : ("ann" AND "lee" AND "shop" AND "example")`},
		{`from:a+b*c@x.org invoice`, `{people} : ("a" AND "b" AND "c" AND "x")`},
		{"from:ann@localhost invoice", `{people} : ("ann" AND "localhost")`},
	} {
		root, err := Parse(c.q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p := compile(root, few); !strings.Contains(p.driving, c.want) {
			t.Errorf("%q: driving %q lacks %q", c.q, p.driving, c.want)
		}
	}
	for _, q := range []string{"from:ann@shop.example", "from:ann@shop.example -invoice", "from:zoë@shop.example invoice"} {
		root, err := Parse(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p := compile(root, few); strings.Contains(p.driving, "people") {
			t.Errorf("%q: driving %q narrowed by the sender", q, p.driving)
		}
	}
	root, _ := Parse("from:ann@shop.example invoice", nil)
	if p := compile(root, func(string) bool { return false }); strings.Contains(p.driving, "people") {
		t.Errorf("narrowed although the narrowed matches are not few: %q", p.driving)
	}
	if p := compile(root, func(string) bool { return true }); strings.Contains(p.driving, "people") {
		t.Errorf("narrowed although the words alone have few matches: %q", p.driving)
	}
}
