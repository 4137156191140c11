package search

import (
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	ms := func(q string) []matcher {
		root, err := Parse(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		return matchers(compile(root, nil).terms)
	}
	filler := strings.Repeat("lorem ipsum ", 400)
	cases := []struct {
		q, text, want string
	}{
		{"invoice", "Your Invoice is paid; the invoice number is 7.", "Your [Invoice] is paid; the [invoice] number is 7."},
		{`"late delivery"`, "a late\n\ndelivery, late again", "a [late delivery], late again"},
		{"deliv*", "Délivery déliveries", "[Délivery] [déliveries]"},
		{"café", "CAFE au lait", "[CAFE] au lait"},
		// Far into a long body: the window starts shortly before the match
		// and marks the matches inside it only.
		{"needle", filler + "the needle and a needle " + filler + "needle",
			"… lorem ipsum lorem ipsum lorem ipsum lorem ipsum the [needle] and a [needle] lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum …"},
		{"absent", "nothing here", "nothing here"},
	}
	for _, c := range cases {
		sn, _ := makeSnippet(c.text, ms(c.q), SnippetWidth)
		if got := sn.Marked("[", "]"); got != c.want {
			t.Errorf("%q in %.40q…:\n got %q\nwant %q", c.q, c.text, got, c.want)
		}
	}
	// hitSpans stops reach bytes after the first match.
	text := "x needle " + strings.Repeat("y ", 100) + "needle " + strings.Repeat("z ", 1000) + "needle"
	if got := len(hitSpans(text, ms("needle"), 500)); got != 2 {
		t.Errorf("hitSpans with reach 500 found %d matches, want 2", got)
	}
	if got := len(hitSpans(text, ms("needle"), -1)); got != 3 {
		t.Errorf("hitSpans to the end found %d matches, want 3", got)
	}
}

// TestASCIITokens checks the tokenizer's ASCII shortcut against the rule it
// stands for, on every ASCII byte.
func TestASCIITokens(t *testing.T) {
	for c := 0; c < 128; c++ {
		if asciiToken(byte(c)) != isTokenRune(rune(c)) {
			t.Errorf("byte %q: asciiToken %v, isTokenRune %v", rune(c), asciiToken(byte(c)), isTokenRune(rune(c)))
		}
	}
	got := tokens("Hi, Zoë! café-au-lait 42x\u0301y")
	var words []string
	for _, t := range got {
		words = append(words, t.fold)
	}
	if strings.Join(words, " ") != "hi zoe cafe au lait 42xy" {
		t.Errorf("tokens = %q", words)
	}
}

func TestTidy(t *testing.T) {
	for _, c := range []struct {
		in   Snippet
		want string
	}{
		{Snippet{{Text: "a b"}, {Text: " c", Hit: true}}, "a b[ c]"},
		{Snippet{{Text: "a "}, {Text: " c", Hit: true}}, "a [c]"},
		{Snippet{{Text: "a\n\n b"}, {Text: "c\u00a0 d"}}, "a bc d"},
		{Snippet{{Text: "a  "}, {Text: "  "}, {Text: "b", Hit: true}}, "a [b]"},
		{Snippet{{Text: "ünï cödé"}}, "ünï cödé"},
	} {
		if got := tidy(append(Snippet(nil), c.in...)).Marked("[", "]"); got != c.want {
			t.Errorf("tidy(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
