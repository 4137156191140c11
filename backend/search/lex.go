package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"tidings/backend/inbox"
)

// MaxQueryLen is the longest query accepted, in characters.
const MaxQueryLen = 1000

// Error is a mistake in a query. Pos and Len are in characters (runes) from
// the start of the query, so the window can underline the mistake.
type Error struct {
	Pos int
	Len int
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("search: %s (at column %d)", e.Msg, e.Pos+1)
}

// Unwrap makes every query mistake an inbox.ErrInvalid.
func (e *Error) Unwrap() error { return inbox.ErrInvalid }

func errAt(pos, n int, format string, args ...any) *Error {
	if n < 1 {
		n = 1
	}
	return &Error{Pos: pos, Len: n, Msg: fmt.Sprintf(format, args...)}
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tField
	tLParen
	tRParen
	tOr
	tAnd
	tNot // NOT or a leading '-'
)

// token is one lexical unit; pos and end are rune offsets.
type token struct {
	kind     tokKind
	pos, end int
	text     string // word or phrase text, or the field value
	field    string // lower-case operator name for tField
	valPos   int    // where a field's value starts
	phrase   bool   // written in quotes
	prefix   bool   // ends with *
}

// lexer splits a query into tokens.
type lexer struct {
	r   []rune
	i   int
	out []token
}

// isTokenRune reports whether the FTS5 unicode61 tokenizer keeps r as part
// of a token (letters, digits, private use); everything else separates.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Mn, r)
}

func hasTokenRune(s string) bool { return strings.IndexFunc(s, isTokenRune) >= 0 }

func lex(q string) ([]token, error) {
	if !utf8.ValidString(q) {
		b := 0
		for b < len(q) {
			r, n := utf8.DecodeRuneInString(q[b:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			b += n
		}
		return nil, errAt(utf8.RuneCountInString(q[:b]), 1, "the query is not valid UTF-8 text")
	}
	l := &lexer{r: []rune(q)}
	if len(l.r) > MaxQueryLen {
		return nil, errAt(MaxQueryLen, len(l.r)-MaxQueryLen, "the query is too long: %d characters, at most %d", len(l.r), MaxQueryLen)
	}
	for {
		l.skipSpace()
		if l.i >= len(l.r) {
			l.out = append(l.out, token{kind: tEOF, pos: l.i, end: l.i})
			return l.out, nil
		}
		if err := l.next(); err != nil {
			return nil, err
		}
	}
}

func (l *lexer) skipSpace() {
	for l.i < len(l.r) && unicode.IsSpace(l.r[l.i]) {
		l.i++
	}
}

func (l *lexer) emit(t token) { l.out = append(l.out, t) }

func (l *lexer) next() error {
	start := l.i
	c := l.r[l.i]
	switch {
	case c == '(':
		l.i++
		l.emit(token{kind: tLParen, pos: start, end: l.i})
		return nil
	case c == ')':
		l.i++
		l.emit(token{kind: tRParen, pos: start, end: l.i})
		return nil
	case c == '"':
		text, prefix, err := l.quoted()
		if err != nil {
			return err
		}
		if !hasTokenRune(text) {
			return errAt(start, l.i-start, "the phrase %s has no letters or digits to search for", clipText(string(l.r[start:l.i])))
		}
		l.emit(token{kind: tWord, pos: start, end: l.i, text: text, phrase: true, prefix: prefix})
		return nil
	case c == '-':
		if l.i+1 >= len(l.r) || unicode.IsSpace(l.r[l.i+1]) || l.r[l.i+1] == ')' {
			return errAt(start, 1, `"-" must be followed by the term it excludes, as in -invoice`)
		}
		l.i++
		l.emit(token{kind: tNot, pos: start, end: l.i})
		return nil
	case unicode.IsControl(c):
		return errAt(start, 1, "the query contains a control character (U+%04X)", c)
	}
	return l.word()
}

// quoted reads a "phrase" starting at the opening quote; a * right after the
// closing quote makes it a prefix phrase.
func (l *lexer) quoted() (string, bool, error) {
	start := l.i
	l.i++
	end := -1
	for j := l.i; j < len(l.r); j++ {
		if l.r[j] == '"' {
			end = j
			break
		}
	}
	if end < 0 {
		return "", false, errAt(start, len(l.r)-start, `unbalanced quote: the phrase %s has no closing "`, clipText(string(l.r[start:])))
	}
	text := string(l.r[l.i:end])
	for _, r := range text {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return "", false, errAt(start, end+1-start, "the phrase contains a control character (U+%04X)", r)
		}
	}
	l.i = end + 1
	prefix := false
	if l.i < len(l.r) && l.r[l.i] == '*' {
		prefix = true
		l.i++
	}
	if l.i < len(l.r) && !l.boundary(l.r[l.i]) {
		return "", false, errAt(start, l.i+1-start, `put a space after the closing quote of %s`, clipText(string(l.r[start:l.i])))
	}
	return text, prefix, nil
}

func (l *lexer) boundary(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' }

// word reads a bare word, an operator (OR, AND, NOT) or a field:value.
func (l *lexer) word() error {
	start := l.i
	for l.i < len(l.r) && !l.boundary(l.r[l.i]) && l.r[l.i] != '"' {
		if unicode.IsControl(l.r[l.i]) {
			return errAt(l.i, 1, "the query contains a control character (U+%04X)", l.r[l.i])
		}
		l.i++
	}
	w := string(l.r[start:l.i])
	switch w {
	case "OR":
		l.emit(token{kind: tOr, pos: start, end: l.i})
		return nil
	case "AND":
		l.emit(token{kind: tAnd, pos: start, end: l.i})
		return nil
	case "NOT":
		l.emit(token{kind: tNot, pos: start, end: l.i})
		return nil
	}
	if name, val, ok := strings.Cut(w, ":"); ok && isFieldName(name) && !strings.HasPrefix(val, "//") {
		return l.field(start, strings.ToLower(name), val)
	}
	if l.i < len(l.r) && l.r[l.i] == '"' {
		return errAt(l.i, 1, `put a space before the quote that starts a phrase`)
	}
	return l.bareWord(start, w)
}

// isFieldName reports whether s looks like an operator name (letters only).
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func (l *lexer) bareWord(start int, w string) error {
	prefix := false
	if strings.HasSuffix(w, "*") {
		prefix = true
		w = strings.TrimSuffix(w, "*")
	}
	for k, r := range []rune(w) {
		switch r {
		case '*':
			return errAt(start+k, 1, `"*" can only end a word, to search by prefix (as in invoic*)`)
		case '^', '{', '}':
			return errAt(start+k, 1, `%q is not part of the query language; put the text in quotes to search for it`, r)
		}
	}
	if !hasTokenRune(w) {
		if prefix && w == "" {
			return errAt(start, l.i-start, `"*" must follow the start of a word, as in invoic*`)
		}
		return errAt(start, l.i-start, "%s has no letters or digits to search for", clipText(w))
	}
	l.emit(token{kind: tWord, pos: start, end: l.i, text: w, prefix: prefix})
	return nil
}

// field reads the value of name:, which may be "quoted".
func (l *lexer) field(start int, name, val string) error {
	if _, ok := fields[name]; !ok {
		return errAt(start, len([]rune(name))+1, "unknown operator %q (known: %s); put it in quotes to search for the text", name+":", fieldList())
	}
	valPos := start + len([]rune(name)) + 1
	if val == "" && l.i < len(l.r) && l.r[l.i] == '"' {
		text, prefix, err := l.quoted()
		if err != nil {
			return err
		}
		if prefix {
			return errAt(l.i-1, 1, `"*" is not allowed after %s`, name+":")
		}
		val = text
	}
	if strings.TrimSpace(val) == "" {
		return errAt(start, l.i-start, "%s needs a value, as in %s", name+":", fields[name].example)
	}
	l.emit(token{kind: tField, pos: start, end: l.i, field: name, text: val, valPos: valPos})
	return nil
}

// clipText quotes s for an error message, shortened to 30 characters.
func clipText(s string) string {
	r := []rune(s)
	if len(r) > 30 {
		s = string(r[:29]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
