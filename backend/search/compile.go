package search

import (
	"strings"
)

// clause is a piece of SQL with its arguments. Query text only ever travels
// in args; the SQL itself is built from constants.
type clause struct {
	sql  string
	args []any
	// conv says the SQL reads the conversation (c).
	conv bool
	// bySender says the clause requires one sender address.
	bySender bool
}

// sender reports whether the clause requires a sender address (a top-level
// conjunct m.from_addr = ?): SQLite then reads the sender's messages from
// messages_from_sent_seq, which holds them newest first.
func (c clause) sender() bool { return c.bySender }

// join is the join a clause over messages needs.
func (c clause) join() string {
	if c.conv {
		return ` JOIN conversations c ON c.id = m.conversation_id`
	}
	return ""
}

func and(cs ...clause) clause {
	var parts []string
	var args []any
	conv, bySender := false, false
	for _, c := range cs {
		if c.sql == "" {
			continue
		}
		parts = append(parts, c.sql)
		args = append(args, c.args...)
		conv = conv || c.conv
		bySender = bySender || c.bySender
	}
	if len(parts) == 0 {
		return clause{sql: "1"}
	}
	return clause{sql: "(" + strings.Join(parts, " AND ") + ")", args: args, conv: conv, bySender: bySender}
}

// plan is a compiled query.
type plan struct {
	// driving is an FTS5 expression over message_fts that every matching
	// message satisfies; "" when the query has no positive text.
	driving string
	// rest is what a message matching driving must also satisfy (over m
	// and c).
	rest clause
	// full is the whole predicate over m and c, the index checked per
	// message by a probe.
	full clause
	// notes is set when private notes can match: noteDriving over note_fts,
	// noteRest over n and c.
	notes       bool
	noteDriving string
	noteRest    clause
	noteFull    clause
	// terms are the positive words and phrases, for highlighting.
	terms []*Node
}

// target is what a predicate is evaluated on: a message (m) or a note (n).
type target int

const (
	onMessage target = iota
	onNote
)

// ftsString quotes a term for FTS5: the text is a string literal, so no FTS5
// syntax inside it has any effect; a prefix adds the * operator outside.
func ftsString(n *Node) string {
	s := `"` + strings.ReplaceAll(n.Text, `"`, `""`) + `"`
	if n.Prefix {
		s += " *"
	}
	return s
}

// ftsOf returns the FTS5 expression of a subtree made only of terms, or false.
func ftsOf(n *Node) (string, bool) {
	switch n.Kind {
	case Term:
		return ftsString(n), true
	case Or:
		parts := make([]string, len(n.Kids))
		for i, k := range n.Kids {
			e, ok := ftsOf(k)
			if !ok || k.Kind == Not {
				return "", false
			}
			parts[i] = "(" + e + ")"
		}
		return strings.Join(parts, " OR "), true
	case And:
		var pos, neg []string
		for _, k := range n.Kids {
			if k.Kind == Not {
				e, ok := ftsOf(k.Kids[0])
				if !ok {
					return "", false
				}
				neg = append(neg, e)
				continue
			}
			e, ok := ftsOf(k)
			if !ok {
				return "", false
			}
			pos = append(pos, e)
		}
		if len(pos) == 0 {
			return "", false
		}
		return withNot(pos, neg), true
	}
	return "", false
}

// withNot builds (p1) AND (p2) ... NOT (n1) NOT (n2), fully parenthesized.
func withNot(pos, neg []string) string {
	e := "(" + strings.Join(wrap(pos), " AND ") + ")"
	for _, x := range neg {
		e = "(" + e + " NOT (" + x + "))"
	}
	return e
}

func wrap(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "(" + s + ")"
	}
	return out
}

// peopleFTS is the FTS5 expression a from: or to: value implies: its words in
// a row in the people column, the last as a prefix.
func peopleFTS(v string) string {
	e := `{people} : "` + strings.ReplaceAll(v, `"`, `""`) + `"`
	if !strings.ContainsAny(v, "@.") {
		// A name may still be typed: its last word is a prefix. An
		// address is complete (and a prefix of "example" would read the
		// doclist of every address).
		e += " *"
	}
	return e
}

// senderFTS is an FTS5 expression every message from a whole address
// matches: each word of the address in the people column, without the last
// label of the domain ("com", "example"), which is in nearly every row and
// only slows the query down. Plain AND under a column filter, not a phrase:
// a phrase checks word positions and cost three times as much. The sender
// index still decides; this only narrows. Only for ASCII addresses, whose
// words and case folding in the index and in strings.ToLower agree.
func senderFTS(addr string) (string, bool) {
	for i := 0; i < len(addr); i++ {
		if addr[i] >= 0x80 {
			return "", false
		}
	}
	at := strings.LastIndexByte(addr, '@')
	if dot := strings.LastIndexByte(addr[at+1:], '.'); dot > 0 {
		addr = addr[:at+1+dot]
	}
	var words []string
	for _, t := range tokens(addr) {
		words = append(words, `"`+t.fold+`"`)
	}
	if len(words) == 0 {
		return "", false
	}
	return `{people} : (` + strings.Join(words, " AND ") + `)`, true
}

// fewFunc reports whether an FTS expression has few enough matches to be
// read whole (an IN list) rather than checked row by row (a probe).
type fewFunc func(expr string) bool

// isAddress reports whether v is a whole email address.
func isAddress(v string) bool {
	at := strings.LastIndexByte(v, '@')
	return at > 0 && at < len(v)-1 && !strings.ContainsAny(v, " \t\"<>")
}

// compile turns a parsed query into a plan. few, when not nil, decides how
// text inside OR and NOT is checked.
func compile(root *Node, few fewFunc) *plan {
	p := &plan{}
	conj := []*Node{root}
	if root.Kind == And {
		conj = root.Kids
	}
	var pos, neg, senders []string
	var rest []clause
	for _, k := range conj {
		if e, ok := ftsOf(k); ok {
			pos = append(pos, e)
			continue
		}
		if k.Kind == Field && (k.Name == "to" || (k.Name == "from" && !isAddress(k.Text))) {
			pos = append(pos, peopleFTS(k.Text))
		}
		if k.Kind == Field && k.Name == "from" && isAddress(k.Text) {
			if e, ok := senderFTS(k.Text); ok {
				senders = append(senders, e)
			}
		}
		if k.Kind == Not {
			if e, ok := ftsOf(k.Kids[0]); ok {
				neg = append(neg, e)
				continue
			}
		}
		rest = append(rest, sqlOf(k, onMessage, few))
	}
	if len(pos) > 0 && len(senders) > 0 && few != nil {
		// from: with a whole address is answered exactly by the sender
		// index; with words as well, the address's words in the people
		// column narrow the words' matches inside the index. A top sender
		// and a word in one message of twenty match a few hundred messages
		// together, found in milliseconds, where walking the sender's
		// thousands of messages and checking each against the word's tens
		// of thousands of matches took tens. Kept only when that makes the
		// matches few enough to read whole (and not when the words alone
		// are: then they cost no more).
		if e := withNot(append(append([]string{}, pos...), senders...), neg); !few(withNot(pos, neg)) && few(e) {
			pos = append(pos, senders...)
		}
	}
	if len(pos) > 0 {
		p.driving = withNot(pos, neg)
	} else {
		for _, k := range conj {
			if k.Kind == Not {
				if _, ok := ftsOf(k.Kids[0]); ok {
					rest = append(rest, sqlOf(k, onMessage, few))
				}
			}
		}
	}
	p.rest = and(rest...)
	if p.driving != "" {
		p.full = and(probe(p.driving, onMessage), p.rest)
	} else {
		p.full = p.rest
	}
	p.compileNotes(conj)
	collectTerms(root, false, &p.terms)
	return p
}

// compileNotes sets the note side of the plan when every part of the query
// can apply to a private note and there is positive text to look for.
func (p *plan) compileNotes(conj []*Node) {
	var pos, neg []string
	var rest []clause
	for _, k := range conj {
		if !noteable(k) {
			return
		}
		if e, ok := ftsOf(k); ok {
			pos = append(pos, e)
			continue
		}
		if k.Kind == Not {
			if e, ok := ftsOf(k.Kids[0]); ok {
				neg = append(neg, e)
				continue
			}
		}
		rest = append(rest, sqlOf(k, onNote, nil))
	}
	if len(pos) == 0 {
		return
	}
	p.notes = true
	p.noteDriving = withNot(pos, neg)
	p.noteRest = and(rest...)
	p.noteFull = and(probe(p.noteDriving, onNote), p.noteRest)
}

// noteable reports whether a subtree means something for a note: text, and
// operators about the conversation or the date.
func noteable(n *Node) bool {
	switch n.Kind {
	case Term:
		return true
	case Field:
		switch n.Name {
		case "channel", "account", "label", "status", "before", "after":
			return true
		}
		return false
	}
	for _, k := range n.Kids {
		if !noteable(k) {
			return false
		}
	}
	return true
}

func collectTerms(n *Node, negated bool, out *[]*Node) {
	switch n.Kind {
	case Term:
		if !negated {
			*out = append(*out, n)
		}
	case Not:
		collectTerms(n.Kids[0], !negated, out)
	default:
		for _, k := range n.Kids {
			collectTerms(k, negated, out)
		}
	}
}

// probe checks one row against an FTS5 expression by rowid: a seek in the
// index, not a scan of every match.
func probe(expr string, t target) clause {
	if t == onNote {
		return clause{sql: `EXISTS (SELECT 1 FROM note_fts WHERE note_fts MATCH ? AND rowid = n.seq)`, args: []any{expr}}
	}
	return clause{sql: `EXISTS (SELECT 1 FROM message_fts WHERE message_fts MATCH ? AND rowid = m.seq)`, args: []any{expr}}
}

// textClause checks text inside OR or NOT: a word with few matches becomes
// an IN list read once; a common one a probe per row, since the walk that
// evaluates it stops after a few rows.
func textClause(expr string, t target, few fewFunc) clause {
	if t == onNote {
		return clause{sql: `n.seq IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?)`, args: []any{expr}}
	}
	if few != nil && few(expr) {
		return clause{sql: `m.seq IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)`, args: []any{expr}}
	}
	return probe(expr, t)
}

// sqlOf compiles a subtree into a predicate over m (or n) and c.
func sqlOf(n *Node, t target, few fewFunc) clause {
	conv, at := "m.conversation_id", "m.sent_at"
	if t == onNote {
		conv, at = "n.conversation_id", "n.created_at"
	}
	if e, ok := ftsOf(n); ok {
		return textClause(e, t, few)
	}
	switch n.Kind {
	case Not:
		c := sqlOf(n.Kids[0], t, few)
		return clause{sql: "NOT " + c.sql, args: c.args, conv: c.conv}
	case And, Or:
		op := " AND "
		if n.Kind == Or {
			op = " OR "
		}
		var parts []string
		var args []any
		conv := false
		for _, k := range n.Kids {
			c := sqlOf(k, t, few)
			parts = append(parts, c.sql)
			args = append(args, c.args...)
			conv = conv || c.conv
		}
		return clause{sql: "(" + strings.Join(parts, op) + ")", args: args, conv: conv}
	}
	v := n.Text
	switch n.Name {
	case "from":
		if isAddress(v) {
			// A whole address: the sender index answers exactly.
			return clause{sql: `m.from_addr = ?`, args: []any{strings.ToLower(v)}, bySender: true}
		}
		return clause{sql: `tidings_has(m.from_name || ' ' || m.from_addr, ?)`, args: []any{v}}
	case "to":
		return clause{sql: `tidings_has(m.to_json || ' ' || m.cc_json || ' ' || m.bcc_json, ?)`, args: []any{v}}
	case "channel":
		return clause{sql: `c.channel = ?`, args: []any{v}, conv: true}
	case "account":
		return clause{sql: `c.account_id IN (SELECT id FROM accounts WHERE id = ? OR name = ? COLLATE NOCASE OR address = ? COLLATE NOCASE)`, args: []any{v, v, v}, conv: true}
	case "label":
		return clause{sql: conv + ` IN (SELECT cl.conversation_id FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE l.name = ?)`, args: []any{v}}
	case "status":
		return clause{sql: `c.status = ?`, args: []any{v}, conv: true}
	case "is":
		switch v {
		case "unread":
			return clause{sql: `(m.is_read = 0 AND m.direction = 'in')`}
		case "read":
			return clause{sql: `(m.is_read = 1 OR m.direction = 'out')`}
		case "auto":
			return clause{sql: `m.auto = 1`}
		default:
			return clause{sql: `m.flagged = 1`}
		}
	case "has":
		return clause{sql: `m.has_attachments = 1`}
	case "before":
		return clause{sql: at + ` < ?`, args: []any{n.Time.UnixMilli()}}
	case "after":
		return clause{sql: at + ` >= ?`, args: []any{n.Time.UnixMilli()}}
	}
	return clause{sql: "0"}
}
