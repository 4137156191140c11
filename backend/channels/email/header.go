package email

import (
	"bytes"
	"mime"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"tidings/backend/inbox"
)

// field is one header field, unfolded, value still encoded.
type field struct {
	Key   string // canonical case as written
	Value string
}

// header is a parsed header block, in order.
type header []field

// Get returns the first value of key (case-insensitive), or "".
func (h header) Get(key string) string {
	for _, f := range h {
		if strings.EqualFold(f.Key, key) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether key is present.
func (h header) Has(key string) bool {
	for _, f := range h {
		if strings.EqualFold(f.Key, key) {
			return true
		}
	}
	return false
}

// Values returns every value of key.
func (h header) Values(key string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.Key, key) {
			out = append(out, f.Value)
		}
	}
	return out
}

// splitHeader cuts raw at the blank line that ends the header (RFC 5322
// section 2.1). A message with no blank line is all header. A line that is
// neither a field nor a continuation also ends the header and starts the body
// (as CPython's parser does for a missing separator); sep reports whether
// the blank line was there.
func splitHeader(raw []byte) (hdr, body []byte) {
	hdr, body, _ = cutHeader(raw)
	return hdr, body
}

func cutHeader(raw []byte) (hdr, body []byte, sep bool) {
	fields := 0
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		end := len(raw)
		if j >= 0 {
			end = i + j
		}
		line := bytes.TrimRight(raw[i:end], "\r")
		switch {
		case len(line) == 0:
			if end == len(raw) {
				return raw[:i], nil, true
			}
			return raw[:i], raw[end+1:], true
		case line[0] == ' ' || line[0] == '\t':
		case isField(line) || (i == 0 && bytes.HasPrefix(line, []byte("From "))):
			fields++
		case fields > 0:
			return raw[:i], raw[i:], false
		}
		if j < 0 {
			break
		}
		i = end + 1
	}
	return raw, nil, false
}

// isField reports whether line starts a header field "Name: value".
func isField(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	return colon > 0 && validFieldName(line[:colon])
}

// parseHeader reads header fields tolerantly: folded lines are unfolded
// (RFC 5322 section 2.2.3), lines that are not fields are skipped and
// counted, an mbox "From " line is ignored. It stops at limit bytes.
func parseHeader(b []byte, limit int) (h header, skipped int, truncated bool) {
	if len(b) > limit {
		b, truncated = b[:limit], true
	}
	for len(b) > 0 {
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) > 0 {
				last := &h[len(h)-1]
				last.Value += " " + strings.TrimSpace(string(line))
				continue
			}
			line = bytes.TrimLeft(line, " \t")
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !validFieldName(line[:colon]) {
			if !(len(h) == 0 && bytes.HasPrefix(line, []byte("From "))) {
				skipped++
			}
			continue
		}
		h = append(h, field{Key: string(bytes.TrimSpace(line[:colon])), Value: strings.TrimSpace(string(line[colon+1:]))})
	}
	return h, skipped, truncated
}

// validFieldName checks RFC 5322 ftext (printable ASCII except colon),
// allowing the trailing space some broken mailers put before the colon.
func validFieldName(b []byte) bool {
	b = bytes.TrimRight(b, " \t")
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// looksLikeHeader reports whether raw starts with a header field (or an
// mbox From line), which tells a message from arbitrary bytes.
func looksLikeHeader(raw []byte) bool {
	end := bytes.IndexByte(raw, '\n')
	if end < 0 {
		end = len(raw)
	}
	line := bytes.TrimLeft(bytes.TrimRight(raw[:end], "\r"), " \t")
	if bytes.HasPrefix(line, []byte("From ")) {
		return true
	}
	colon := bytes.IndexByte(line, ':')
	return colon > 0 && validFieldName(line[:colon])
}

// text decodes an unstructured header value: RFC 2047 encoded words, and raw
// 8-bit bytes (RFC 6532 UTF-8, or a legacy charset by best effort).
func (p *parser) text(v string) string {
	if !utf8.ValidString(v) {
		s, _ := decodeCharset(p.fallbackCharset, []byte(v))
		if p.fallbackCharset == "" {
			p.guessed("8-bit header")
		}
		v = s
	}
	if !strings.Contains(v, "=?") {
		return v
	}
	dec := mime.WordDecoder{CharsetReader: p.charsetReader}
	out, err := dec.DecodeHeader(v)
	if err != nil {
		return v
	}
	return out
}

// addresses parses an address list (RFC 5322 section 3.4), falling back to
// picking out anything that looks like an address when the list is malformed.
func (p *parser) addresses(v string) []inbox.Address {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		s, _ := decodeCharset(p.fallbackCharset, []byte(v))
		v = s
	}
	ap := netmail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: p.charsetReader}}
	if list, err := ap.ParseList(v); err == nil {
		out := make([]inbox.Address, 0, len(list))
		for _, a := range list {
			out = append(out, inbox.Address{Name: a.Name, Address: a.Address})
		}
		return out
	}
	var out []inbox.Address
	for _, part := range splitAddressList(v) {
		if a, ok := p.looseAddress(part); ok {
			out = append(out, a)
		}
	}
	return out
}

// splitAddressList splits on commas outside quotes and angle brackets.
func splitAddressList(v string) []string {
	var out []string
	var quoted bool
	depth, start := 0, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case '<':
			if !quoted {
				depth++
			}
		case '>':
			if !quoted && depth > 0 {
				depth--
			}
		case ',', ';':
			if !quoted && depth == 0 {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

// looseAddress reads "Name <addr>", "<addr>" or "addr" without the grammar.
func (p *parser) looseAddress(s string) (inbox.Address, bool) {
	s = strings.TrimSpace(s)
	var name, addr string
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		addr = s[i+1:]
		if j := strings.IndexByte(addr, '>'); j >= 0 {
			addr = addr[:j]
		}
		name = strings.Trim(strings.TrimSpace(s[:i]), `"`)
	} else {
		for _, tok := range strings.Fields(s) {
			if strings.Contains(tok, "@") {
				addr = strings.Trim(tok, `"()[]`)
				break
			}
		}
	}
	addr = strings.TrimSpace(addr)
	if !strings.Contains(addr, "@") || strings.ContainsAny(addr, " \t") {
		return inbox.Address{}, false
	}
	return inbox.Address{Name: p.text(name), Address: addr}, true
}

// dateLayouts are forms seen in the wild that net/mail refuses.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05Z07:00",
	"Monday, January 2, 2006 3:04 PM",
}

// parseDate reads an RFC 5322 date (section 3.3), tolerating the usual
// deviations: comments, missing seconds, two-digit years, "GMT+0100".
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if t, err := netmail.ParseDate(v); err == nil {
		return t.UTC(), true
	}
	// Drop a trailing comment "(CEST)" and a "GMT" before an offset.
	if i := strings.IndexByte(v, '('); i > 0 {
		v = strings.TrimSpace(v[:i])
	}
	v = strings.Replace(v, "GMT+", "+", 1)
	v = strings.Replace(v, "GMT-", "-", 1)
	v = strings.Join(strings.Fields(v), " ")
	if t, err := netmail.ParseDate(v); err == nil {
		return t.UTC(), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// msgIDs reads a list of message identifiers (RFC 5322 section 3.6.4),
// returned with their angle brackets. Tokens without brackets are accepted
// when they contain an "@", as some mailers write them.
func msgIDs(v string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		id = strings.ToValidUTF8(strings.Join(strings.Fields(id), ""), "\uFFFD")
		if len(id) < 3 || len(id) > 998 || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, "<"+id+">")
	}
	for len(v) > 0 {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			for _, tok := range strings.Fields(v) {
				if strings.Contains(tok, "@") {
					add(strings.Trim(tok, "<>,;\"'()"))
				}
			}
			break
		}
		for _, tok := range strings.Fields(v[:i]) {
			if strings.Contains(tok, "@") {
				add(strings.Trim(tok, "<>,;\"'()"))
			}
		}
		v = v[i+1:]
		j := strings.IndexByte(v, '>')
		if j < 0 {
			add(v)
			break
		}
		add(v[:j])
		v = v[j+1:]
	}
	return out
}

// firstMsgID returns the first identifier in v, or "".
func firstMsgID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	return ""
}
