package inbox

import (
	"strings"
	"testing"
)

func TestSubjectKey(t *testing.T) {
	for in, want := range map[string]string{
		"Order 12":                     "order 12",
		"Re: Order 12":                 "order 12",
		"RE[2]: Fwd:  order   12 ":     "order 12",
		"[EXT] Re: Order 12":           "order 12",
		"Re: [shop-list] AW: Order 12": "order 12",
		"回复：订单 12":                     "订单 12",
		"Question":                     "question",
		"Question: where is it?":       "question: where is it?",
		"  [EXT]   ":                   "",
		"":                             "",
		"Re:":                          "",
	} {
		if got := SubjectKey(in); got != want {
			t.Errorf("SubjectKey(%q): got %q, want %q", in, got, want)
		}
	}
}

// TestSubjectKeySkipsOnlyWhatCannotMatch: the shortcut past the regular
// expressions (no colon, no leading bracket) gives the same key as always
// running them, the rule the threader used before keys were stored.
func TestSubjectKeySkipsOnlyWhatCannotMatch(t *testing.T) {
	reference := func(s string) string {
		for i := 0; i < 20; i++ {
			t := tagPrefix.ReplaceAllString(replyPrefix.ReplaceAllString(s, ""), "")
			if t == s {
				break
			}
			s = t
		}
		return strings.ToLower(strings.Join(strings.Fields(s), " "))
	}
	cleanRef := func(s string) string {
		for i := 0; i < 20; i++ {
			t := replyPrefix.ReplaceAllString(s, "")
			if t == s {
				break
			}
			s = t
		}
		return strings.TrimSpace(s)
	}
	parts := []string{"Re:", "re :", "Fwd:", "AW:", "[EXT]", " [list] ", "Order", "12", "Ｒｅ：", "転送:", "\t", "  ", "R", "e", ":", "[", "]", "x[y]", "Antwort(2):", "SV[3]:"}
	seen := 0
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		seen++
		if got, want := SubjectKey(prefix), reference(prefix); got != want {
			t.Errorf("SubjectKey(%q): got %q, want %q (regular expressions alone)", prefix, got, want)
		}
		if got, want := CleanSubject(prefix), cleanRef(prefix); got != want {
			t.Errorf("CleanSubject(%q): got %q, want %q", prefix, got, want)
		}
		if got, want := IsReplySubject(prefix), replyPrefix.MatchString(prefix) || replyPrefix.MatchString(tagPrefix.ReplaceAllString(prefix, "")); got != want {
			t.Errorf("IsReplySubject(%q): got %v, want %v", prefix, got, want)
		}
		if depth == 0 {
			return
		}
		for _, p := range parts {
			walk(prefix+p, depth-1)
		}
	}
	walk("", 3)
	if seen < 8000 {
		t.Fatalf("walked %d subjects", seen)
	}
}
