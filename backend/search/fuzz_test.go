package search

import (
	"context"
	"errors"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"invoice", `"late delivery"`, "a -b", "a OR b", "(a OR b) -(c d)", "from:anna to:\"Bob B\"", "invoic*",
	`"late deliv"*`, "after:7d before:2026-11-01", "is:unread has:attachment", "status:closed label:vip",
	`"unbalanced`, "a OR", "((a)", "a)", "-", "^a", "{a b}:c", "subject:x", "NEAR(a b)", "a\x00", "\xff",
	"channel:fax", "after:2026-02-30", "* a", "a AND NOT b", "café -Müller", "http://x.example/a?b=c",
	"from:anna@shop.example invoice", "from:a+b*c@x.y late -z", `from:"q""@x.y" a`, "from:zoë@x.example a",
	"from:a@b from:c@d e", "from:-@-.- a", "from:a@b.c (x OR y*)",
}

// FuzzParse checks that any input either parses into a tree that prints and
// re-parses to itself, or fails with a positioned *Error; never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q, testOpts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %v is not *Error", q, err)
			}
			if e.Pos < 0 || (utf8.ValidString(q) && e.Pos > utf8.RuneCountInString(q)) || e.Len < 1 {
				t.Fatalf("Parse(%q) error position %d+%d out of range", q, e.Pos, e.Len)
			}
			return
		}
		p := compile(n, nil)
		if p.full.sql == "" {
			t.Fatalf("Parse(%q) compiled to no SQL", q)
		}
		again, err := Parse(n.String(), testOpts)
		if err != nil {
			t.Fatalf("Parse(%q) printed as %q, which does not parse: %v", q, n.String(), err)
		}
		if again.String() != n.String() {
			t.Fatalf("Parse(%q) = %q, re-parsed as %q", q, n.String(), again.String())
		}
	})
}

// FuzzSearch runs queries against a real store: every one either returns
// results or a query *Error; SQL never sees anything it cannot run.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		for _, force := range []string{"", "set", "walk"} {
			fx.s.Force = force
			_, err := fx.s.Search(context.Background(), Request{Query: q})
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("Search(%q) plan %q: %v", q, force, err)
			}
		}
	})
}
