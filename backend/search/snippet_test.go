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
