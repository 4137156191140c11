package search

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

var testOpts = &Options{
	Now:      func() time.Time { return time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC) },
	Location: time.UTC,
}

func TestParse(t *testing.T) {
	cases := []struct {
		name, q, want string
	}{
		{"word", "invoice", "invoice"},
		{"two words", "invoice march", "invoice march"},
		{"phrase", `"late delivery"`, `"late delivery"`},
		{"exclude", "invoice -paid", "invoice -paid"},
		{"NOT", "invoice NOT paid", "invoice -paid"},
		{"or", "invoice OR receipt", "invoice OR receipt"},
		{"or binds looser than and", "a b OR c", "(a b) OR c"},
		{"parentheses", "(a OR b) c", "(a OR b) c"},
		{"explicit AND", "a AND b", "a b"},
		{"prefix", "invoic*", "invoic*"},
		{"prefix phrase", `"late deliv"*`, `"late deliv"*`},
		{"from", "from:anna@example.com", "from:anna@example.com"},
		{"from quoted", `from:"Anna Smith" refund`, `from:"Anna Smith" refund`},
		{"operator name case", "FROM:anna", "from:anna"},
		{"channel", "channel:Telegram", "channel:telegram"},
		{"status", "status:closed", "status:closed"},
		{"is and has", "is:unread has:attachments", "is:unread has:attachment"},
		{"dates", "after:2026-11-01 before:yesterday", "after:2026-11-01 before:yesterday"},
		{"relative date", "after:7d", "after:7d"},
		{"url is a word", "https://shop.example/cart", "https://shop.example/cart"},
		{"time is a word", "10:30", "10:30"},
		{"punctuation inside", "what's C++", "what's C++"},
		{"diacritics kept", "Café", "Café"},
		{"excluded phrase", `-"out of office"`, `-"out of office"`},
		{"excluded group", "a -(b OR c)", "a -(b OR c)"},
		{"fts keywords are words", "NEAR lower or and", "NEAR lower or and"},
		{"label with dash", "label:follow-up", "label:follow-up"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := Parse(c.q, testOpts)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.q, err)
			}
			if got := n.String(); got != c.want {
				t.Errorf("Parse(%q) = %s, want %s", c.q, got, c.want)
			}
		})
	}
}

func TestParseDates(t *testing.T) {
	cases := []struct {
		q    string
		want time.Time
	}{
		{"after:2026-11-01", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"before:today", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{"before:yesterday", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)},
		{"after:7d", time.Date(2026, 11, 18, 15, 30, 0, 0, time.UTC)},
		{"after:2w", time.Date(2026, 11, 11, 15, 30, 0, 0, time.UTC)},
		{"after:1m", time.Date(2026, 10, 25, 15, 30, 0, 0, time.UTC)},
		{"after:1y", time.Date(2025, 11, 25, 15, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		n, err := Parse(c.q, testOpts)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.q, err)
		}
		if !n.Time.Equal(c.want) {
			t.Errorf("Parse(%q) time = %v, want %v", c.q, n.Time, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a", 10000)
	many := strings.Repeat("w ", MaxTerms+1)
	deep := strings.Repeat("(", 20) + "a" + strings.Repeat(")", 20)
	cases := []struct {
		name, q string
		pos     int
		msg     string
	}{
		{"empty", "", 0, "empty"},
		{"blank", "   ", 0, "empty"},
		{"unbalanced quote", `invoice "late delivery`, 8, "unbalanced quote"},
		{"lone quote", `"`, 0, "unbalanced quote"},
		{"empty phrase", `a ""`, 2, "no letters or digits"},
		{"quote glued after", `"a b"c`, 0, "space after the closing quote"},
		{"quote glued before", `a"b c"`, 1, "space before the quote"},
		{"stray minus", "invoice -", 8, "must be followed"},
		{"minus before space", "a - b", 2, "must be followed"},
		{"double minus", "--a", 1, "excluded twice"},
		{"NOT at end", "a NOT", 2, "must be followed"},
		{"leading OR", "OR a", 0, "before it"},
		{"trailing OR", "a OR", 2, "after it"},
		{"double OR", "a OR OR b", 2, "after it"},
		{"trailing AND", "a AND", 2, "after it"},
		{"leading AND", "AND a", 0, "before it"},
		{"unclosed paren", "(a OR b", 0, "never closed"},
		{"stray close paren", "a) b", 1, `has no "("`},
		{"empty parens", "a ()", 2, "empty parentheses"},
		{"star alone", "a *", 2, `"*" must follow`},
		{"star inside", "in*voice", 2, `can only end a word`},
		{"fts caret", "^invoice", 0, "not part of the query language"},
		{"fts braces", "{subject body}:x", 0, "not part of the query language"},
		{"fts column filter", "subject:invoice", 0, `unknown operator "subject:"`},
		{"punctuation only", "tom & jerry", 4, "no letters or digits"},
		{"from without value", "from: anna", 0, "needs a value"},
		{"from at end", "a from:", 2, "needs a value"},
		{"from punctuation", "from:@", 5, "no letters or digits"},
		{"bad channel", "channel:fax", 8, "not a channel"},
		{"bad status", "status:done", 7, "not a status"},
		{"bad is", "is:important", 3, "is not known"},
		{"bad has", "has:photo", 4, "is not known"},
		{"bad date", "before:2026-13-01", 7, "not a date"},
		{"impossible date", "after:2026-02-30", 6, "not a date"},
		{"word date", "after:lastweek", 6, "not a date"},
		{"far back", "after:99999999d", 6, "too far back"},
		{"too long", long, MaxQueryLen, "too long"},
		{"too many terms", many, 2 * MaxTerms, "too many terms"},
		{"too deep", deep, maxDepth, "nested too deeply"},
		{"control char", "a\x00b", 1, "control character"},
		{"invalid utf8", "ab\xff", 2, "not valid UTF-8"},
		{"unclosed quoted field", `from:"anna`, 5, "unbalanced quote"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.q, testOpts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error = %v, want *Error", clipForLog(c.q), err)
			}
			if e.Pos != c.pos || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("Parse(%q) = pos %d %q, want pos %d containing %q", clipForLog(c.q), e.Pos, e.Msg, c.pos, c.msg)
			}
			if !errors.Is(err, inbox.ErrInvalid) {
				t.Errorf("error %v is not inbox.ErrInvalid", err)
			}
			if !strings.HasPrefix(err.Error(), "search: ") || !strings.Contains(err.Error(), "column") {
				t.Errorf("error text %q, want search: ... (at column N)", err.Error())
			}
		})
	}
}

func clipForLog(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
