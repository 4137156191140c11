package search

import (
	"database/sql/driver"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"
)

// span is one token of a text: its byte range and its folded form.
type span struct {
	start, end int
	fold       string
}

// tokens splits s the way FTS5's unicode61 tokenizer does (runs of letters
// and digits) and folds each token: lower case, diacritics removed, as with
// remove_diacritics 2.
func tokens(s string) []span {
	var out []span
	for i := 0; ; {
		t, next, ok := nextToken(s, i)
		if !ok {
			return out
		}
		out = append(out, t)
		i = next
	}
}

// nextToken returns the first token of s at or after byte i, and where the
// one after it may start.
func nextToken(s string, i int) (span, int, bool) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII (most text): letters and digits only, no table look-up.
			if !asciiToken(c) {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRuneInString(s[i:]); !isTokenRune(r) || unicode.Is(unicode.Mn, r) {
			i += n
			continue
		}
		start := i
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if !asciiToken(c) {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isTokenRune(r) {
				break
			}
			i += n
		}
		return span{start: start, end: i, fold: fold(s[start:i])}, i, true
	}
	return span{}, i, false
}

// asciiToken reports whether an ASCII byte is part of a token: what
// isTokenRune says of it.
func asciiToken(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// fold lower-cases s and removes its diacritics.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// foldWords returns the folded tokens of s.
func foldWords(s string) []string {
	ts := tokens(s)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.fold
	}
	return out
}

// matchAt reports whether words occur in ts starting at i; with prefix the
// last word only needs to start the token.
func matchAt(ts []span, i int, words []string, prefix bool) bool {
	if i+len(words) > len(ts) {
		return false
	}
	for k, w := range words {
		t := ts[i+k].fold
		if k == len(words)-1 && prefix {
			if !strings.HasPrefix(t, w) {
				return false
			}
		} else if t != w {
			return false
		}
	}
	return true
}

// contains reports whether the words occur in a row in hay (folded), the
// last one as a prefix. It backs the SQL function tidings_has, which checks
// from: and to: against one message's sender or recipients.
func contains(hay, needle string) bool {
	words := foldWords(needle)
	if len(words) == 0 {
		return false
	}
	ts := tokens(hay)
	for i := range ts {
		if matchAt(ts, i, words, true) {
			return true
		}
	}
	return false
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("tidings_has", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if contains(text(args[0]), text(args[1])) {
			return int64(1), nil
		}
		return int64(0), nil
	})
}

func text(v driver.Value) string {
	switch t := v.(type) {
	case string:
		return t
	case []byte:
		return string(t)
	}
	return ""
}
