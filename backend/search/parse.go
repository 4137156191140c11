package search

import (
	"strings"
	"time"
)

// Kind is the kind of a query node.
type Kind int

// Node kinds.
const (
	// Term is a word or an "exact phrase", maybe a prefix (invoic*).
	Term Kind = iota
	// Field is an operator with its value: from:anna.
	Field
	// Not excludes its only child.
	Not
	// And requires every child.
	And
	// Or requires one child.
	Or
)

// MaxTerms bounds the words, phrases and operators of one query.
const MaxTerms = 40

// maxDepth bounds nested parentheses and negations.
const maxDepth = 12

// Node is one part of a parsed query. Pos and End are rune offsets.
type Node struct {
	Kind     Kind
	Pos, End int
	// Text is a term's text without quotes or *; a field's value.
	Text   string
	Phrase bool
	Prefix bool
	// Name is a field's lower-case operator name.
	Name string
	// Time is the instant of before: and after:.
	Time time.Time
	Kids []*Node
}

// String renders the node back as query text, for tests and logs.
func (n *Node) String() string {
	switch n.Kind {
	case Term:
		s := n.Text
		if n.Phrase {
			s = `"` + s + `"`
		}
		if n.Prefix {
			s += "*"
		}
		return s
	case Field:
		if strings.ContainsAny(n.Text, " \t\"") {
			return n.Name + `:"` + n.Text + `"`
		}
		return n.Name + ":" + n.Text
	case Not:
		if k := n.Kids[0]; k.Kind == And || k.Kind == Or {
			return "-(" + k.String() + ")"
		}
		return "-" + n.Kids[0].String()
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		parts[i] = k.String()
		if k.Kind == Or || k.Kind == And {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	if n.Kind == Or {
		return strings.Join(parts, " OR ")
	}
	return strings.Join(parts, " ")
}

// Parse reads a query. Mistakes come back as *Error with their position.
func Parse(q string, o *Options) (*Node, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	if len(toks) == 1 {
		return nil, errAt(0, 1, "the query is empty")
	}
	p := &parser{toks: toks, opts: o}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, errAt(t.pos, t.end-t.pos, `unbalanced parenthesis: this ")" has no "(" before it`)
	}
	return n, nil
}

type parser struct {
	toks  []token
	i     int
	terms int
	opts  *Options
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) take() token { t := p.toks[p.i]; p.i++; return t }

// ends reports whether t closes an expression (nothing can start there).
func ends(t token) bool {
	return t.kind == tEOF || t.kind == tRParen || t.kind == tOr || t.kind == tAnd
}

func (p *parser) or(depth int) (*Node, error) {
	if t := p.peek(); t.kind == tOr {
		return nil, errAt(t.pos, t.end-t.pos, "OR needs a term before it")
	}
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	kids := []*Node{first}
	for p.peek().kind == tOr {
		op := p.take()
		if t := p.peek(); ends(t) {
			return nil, errAt(op.pos, op.end-op.pos, "OR needs a term after it")
		}
		n, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &Node{Kind: Or, Pos: kids[0].Pos, End: kids[len(kids)-1].End, Kids: kids}, nil
}

func (p *parser) and(depth int) (*Node, error) {
	var kids []*Node
	for {
		t := p.peek()
		if t.kind == tAnd {
			p.take()
			if len(kids) == 0 {
				return nil, errAt(t.pos, t.end-t.pos, "AND needs a term before it")
			}
			if ends(p.peek()) {
				return nil, errAt(t.pos, t.end-t.pos, "AND needs a term after it")
			}
			continue
		}
		if ends(t) {
			break
		}
		n, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 0 {
		t := p.peek()
		return nil, errAt(t.pos, t.end-t.pos, "a term is missing here")
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &Node{Kind: And, Pos: kids[0].Pos, End: kids[len(kids)-1].End, Kids: kids}, nil
}

func (p *parser) unary(depth int) (*Node, error) {
	t := p.peek()
	if t.kind != tNot {
		return p.primary(depth)
	}
	p.take()
	switch n := p.peek(); {
	case ends(n):
		return nil, errAt(t.pos, t.end-t.pos, "%s must be followed by the term it excludes, as in -invoice", opName(t))
	case n.kind == tNot:
		return nil, errAt(n.pos, n.end-n.pos, "a term cannot be excluded twice")
	}
	if depth+1 > maxDepth {
		return nil, errAt(t.pos, 1, "the query is nested too deeply (at most %d levels)", maxDepth)
	}
	kid, err := p.primary(depth + 1)
	if err != nil {
		return nil, err
	}
	return &Node{Kind: Not, Pos: t.pos, End: kid.End, Kids: []*Node{kid}}, nil
}

func opName(t token) string {
	if t.end-t.pos == 1 {
		return `"-"`
	}
	return "NOT"
}

func (p *parser) primary(depth int) (*Node, error) {
	t := p.take()
	switch t.kind {
	case tLParen:
		if depth+1 > maxDepth {
			return nil, errAt(t.pos, 1, "the query is nested too deeply (at most %d levels)", maxDepth)
		}
		if c := p.peek(); c.kind == tRParen {
			return nil, errAt(t.pos, c.end-t.pos, "empty parentheses")
		}
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tRParen {
			return nil, errAt(t.pos, 1, `unbalanced parenthesis: this "(" is never closed`)
		}
		c := p.take()
		n.Pos, n.End = t.pos, c.end
		return n, nil
	case tRParen:
		return nil, errAt(t.pos, 1, `unbalanced parenthesis: this ")" has no "(" before it`)
	case tWord:
		if err := p.count(t); err != nil {
			return nil, err
		}
		return &Node{Kind: Term, Pos: t.pos, End: t.end, Text: t.text, Phrase: t.phrase, Prefix: t.prefix}, nil
	case tField:
		if err := p.count(t); err != nil {
			return nil, err
		}
		spec := fields[t.field]
		v, msg := spec.check(t.text, p.opts)
		if msg != "" {
			return nil, errAt(t.valPos, t.end-t.valPos, "%s %s", clipText(t.text), msg)
		}
		n := &Node{Kind: Field, Pos: t.pos, End: t.end, Name: t.field, Text: v}
		if t.field == "before" || t.field == "after" {
			n.Time, _ = parseDate(v, p.opts)
		}
		return n, nil
	}
	return nil, errAt(t.pos, t.end-t.pos, "a term is missing here")
}

func (p *parser) count(t token) error {
	p.terms++
	if p.terms > MaxTerms {
		return errAt(t.pos, t.end-t.pos, "the query has too many terms (at most %d)", MaxTerms)
	}
	return nil
}
