package search

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Part is a piece of a snippet; Hit marks the words that matched.
type Part struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// Snippet is a short extract of a message around its first match.
type Snippet []Part

// Text returns the snippet as plain text.
func (s Snippet) Text() string { return s.Marked("", "") }

// Marked returns the snippet with each matched part between open and close.
func (s Snippet) Marked(open, close string) string {
	var b strings.Builder
	for _, p := range s {
		if p.Hit {
			b.WriteString(open + p.Text + close)
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// SnippetWidth is the length of a snippet in characters, about.
const SnippetWidth = 160

// maxScan bounds how much of a long body is searched for the match.
const maxScan = 256 << 10

type matcher struct {
	words  []string
	prefix bool
}

func matchers(terms []*Node) []matcher {
	var out []matcher
	for _, t := range terms {
		if w := foldWords(t.Text); len(w) > 0 {
			out = append(out, matcher{words: w, prefix: t.Prefix})
		}
	}
	return out
}

// hitSpans returns the byte ranges of text that match one of the terms,
// from the first to those starting within reach bytes after it (reach < 0:
// to the end). Text is tokenized only that far: a snippet shows the first
// match, and the rest of a long body need not be read.
func hitSpans(text string, ms []matcher, reach int) [][2]int {
	longest := 1
	for _, m := range ms {
		longest = max(longest, len(m.words))
	}
	var ts []span
	pos, done := 0, false
	// have tokenizes until ts holds n tokens or the text ends.
	have := func(n int) {
		for len(ts) < n && !done {
			t, next, ok := nextToken(text, pos)
			if !ok {
				done = true
				return
			}
			ts, pos = append(ts, t), next
		}
	}
	var out [][2]int
	stop := -1
	for i := 0; ; i++ {
		have(i + longest)
		if i >= len(ts) || (stop >= 0 && ts[i].start >= stop) {
			return out
		}
		for _, m := range ms {
			if matchAt(ts, i, m.words, m.prefix) {
				end := ts[i+len(m.words)-1].end
				out = append(out, [2]int{ts[i].start, end})
				if stop < 0 && reach >= 0 {
					stop = ts[i].start + reach
				}
				i += len(m.words) - 1
				break
			}
		}
	}
}

// makeSnippet cuts about width characters of text around the first match,
// marking every match inside. ok is false when nothing in text matches.
func makeSnippet(text string, ms []matcher, width int) (Snippet, bool) {
	if len(text) > maxScan {
		cut := maxScan
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	// The window ends at most width characters (4 bytes each at most)
	// after its start, which is before the first match.
	spans := hitSpans(text, ms, 4*width)
	start := 0
	if len(spans) > 0 {
		start = backChars(text, spans[0][0], width/3)
	}
	end := forwardChars(text, start, width)
	var sn Snippet
	if start > 0 {
		sn = append(sn, Part{Text: "… "})
	}
	pos := start
	for _, sp := range spans {
		if sp[0] < pos || sp[0] >= end {
			continue
		}
		if sp[0] > pos {
			sn = append(sn, Part{Text: text[pos:sp[0]]})
		}
		e := sp[1]
		if e > end {
			e = end
		}
		sn = append(sn, Part{Text: text[sp[0]:e], Hit: true})
		pos = e
	}
	if pos < end {
		sn = append(sn, Part{Text: text[pos:end]})
	}
	if end < len(text) {
		sn = append(sn, Part{Text: " …"})
	}
	return tidy(sn), len(spans) > 0
}

// backChars moves back n characters from i, then forward to a word start.
func backChars(s string, i, n int) int {
	j := i
	for k := 0; k < n && j > 0; k++ {
		_, sz := utf8.DecodeLastRuneInString(s[:j])
		j -= sz
	}
	if j == 0 {
		return 0
	}
	for j < i {
		r, sz := utf8.DecodeRuneInString(s[j:])
		j += sz
		if r == ' ' || r == '\n' || r == '\t' {
			break
		}
	}
	return j
}

// forwardChars moves forward n characters from i, backing up to a space when
// one is near.
func forwardChars(s string, i, n int) int {
	j := i
	for k := 0; k < n && j < len(s); k++ {
		_, sz := utf8.DecodeRuneInString(s[j:])
		j += sz
	}
	if j >= len(s) {
		return len(s)
	}
	if sp := strings.LastIndexAny(s[i:j], " \n\t"); sp > (j-i)*2/3 {
		return i + sp
	}
	return j
}

// tidy folds runs of white space (line breaks included) into one space.
func tidy(sn Snippet) Snippet {
	out := sn[:0]
	prevSpace := false
	for _, p := range sn {
		if tidyAlready(p.Text, prevSpace) {
			// Nothing to fold: keep the text as it is, without copying.
			if p.Text != "" {
				out = append(out, p)
				prevSpace = p.Text[len(p.Text)-1] == ' '
			}
			continue
		}
		var b strings.Builder
		for _, r := range p.Text {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v' || r == 0xa0 {
				if prevSpace {
					continue
				}
				prevSpace = true
				b.WriteByte(' ')
				continue
			}
			prevSpace = false
			b.WriteRune(r)
		}
		if b.Len() > 0 {
			out = append(out, Part{Text: b.String(), Hit: p.Hit})
		}
	}
	return out
}

// tidyAlready reports whether tidy would leave s as it is: no white space
// but single plain spaces, none right after a space (prevSpace: the text
// before s ended in one).
func tidyAlready(s string, prevSpace bool) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case '\n', '\t', '\r', '\f', '\v', 0xc2: // 0xc2 starts U+00A0 (and a few other runes: the slow path)
			return false
		default:
			prevSpace = false
		}
	}
	return true
}

// hits loads what a page shows of each group and computes its snippet.
func (s *Searcher) hits(ctx context.Context, p *plan, groups []*group) ([]Hit, error) {
	ms := matchers(p.terms)
	var msgSeqs, noteSeqs []any
	for _, g := range groups {
		if g.noteID != "" {
			noteSeqs = append(noteSeqs, g.seq)
		} else {
			msgSeqs = append(msgSeqs, g.seq)
		}
	}
	type row struct {
		id, subject, body, fromName, from string
		at                                int64
	}
	loaded := map[int64]row{}
	load := func(q string, seqs []any, note bool) error {
		if len(seqs) == 0 {
			return nil
		}
		rows, err := s.db.QueryContext(ctx, q+`(`+strings.TrimSuffix(strings.Repeat("?,", len(seqs)), ",")+`)`, seqs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var r row
			if err := rows.Scan(&seq, &r.id, &r.subject, &r.body, &r.fromName, &r.from, &r.at); err != nil {
				return err
			}
			if note {
				seq = -seq
			}
			loaded[seq] = r
		}
		return rows.Err()
	}
	if err := load(`SELECT seq, id, subject, body_text, from_name, from_addr, sent_at FROM messages WHERE seq IN `, msgSeqs, false); err != nil {
		return nil, ftsErr(err)
	}
	if err := load(`SELECT n.seq, n.id, c.subject, n.body, '', '', n.created_at FROM notes n JOIN conversations c ON c.id = n.conversation_id WHERE n.seq IN `, noteSeqs, true); err != nil {
		return nil, ftsErr(err)
	}
	out := make([]Hit, 0, len(groups))
	for _, g := range groups {
		k := g.seq
		if g.noteID != "" {
			k = -k
		}
		r := loaded[k]
		if g.noteID == "" {
			g.messageID = r.id
		}
		h := Hit{ConversationID: g.conv, MessageID: g.messageID, NoteID: g.noteID, Date: fromMS(r.at),
			Subject: r.subject, FromName: r.fromName, From: r.from, key: g.key, score: g.score}
		sn, ok := makeSnippet(r.body, ms, SnippetWidth)
		if !ok && r.subject != "" && g.noteID == "" {
			if ss, ok := makeSnippet(r.subject, ms, SnippetWidth); ok {
				sn = ss
			}
		}
		h.Snippet = sn
		out = append(out, h)
	}
	return out, nil
}
