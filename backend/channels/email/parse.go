package email

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"tidings/backend/inbox"
)

// Caps that bound the cost of a hostile message. go-message's nested readers
// make reading cost grow with depth times size, so Parse walks the raw bytes
// itself and stops at these limits, noting what it skipped.
const (
	// maxHeaderBytes caps one header block (the top one or a part's).
	maxHeaderBytes = 256 << 10
	// maxDepth caps multipart nesting.
	maxDepth = 16
	// maxParts caps the number of MIME parts looked at.
	maxParts = 500
	// maxTextBytes caps the extracted text and HTML bodies each.
	maxTextBytes = 4 << 20
	// maxReferences caps References kept: the first (the thread's root)
	// and the most recent ones.
	maxReferences = 50
)

// Parsed is the result of Parse.
type Parsed struct {
	// Message is the parsed message, direction In, with Raw and
	// ContentHash set. ParseError is set when the bytes are not a message
	// Tidings can read; the raw bytes are still there.
	Message *inbox.Message
	// Warnings lists what was repaired, guessed or skipped, in words a user
	// can read ("charset \"x-foo\" unknown, decoded best effort").
	Warnings []string
	// CharsetGuessed is set when some text named an unknown charset, or
	// none while not being UTF-8, and was decoded by best effort.
	CharsetGuessed bool
}

// parser is the state of one Parse call.
type parser struct {
	raw             []byte
	parts           int
	fallbackCharset string
	warnings        []string
	charsetGuessed  bool
	texts, htmls    []string
	textBytes       int
	htmlBytes       int
	atts            []inbox.Attachment
	// lean leaves attachments that lie in raw undecoded (ParseLean).
	lean bool
}

func (p *parser) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	for _, old := range p.warnings {
		if old == w {
			return
		}
	}
	if len(p.warnings) < 20 {
		p.warnings = append(p.warnings, w)
	}
}

func (p *parser) guessed(label string) {
	p.charsetGuessed = true
	if label == "" {
		p.warn("text without a charset is not UTF-8: decoded best effort")
		return
	}
	p.warn("charset %q unknown or wrong: decoded best effort", label)
}

// Parse reads the original bytes of an email message. It never fails and
// never returns nil: a message it cannot read comes back with Raw kept and
// ParseError set. raw is kept as Message.Raw, not copied.
func Parse(raw []byte) *Parsed { return parse(raw, false) }

// ParseLean is Parse for a message stored with its original (a sync): an
// attachment whose encoded body lies in raw comes with its size and its
// span there (InRaw) but no Data, the way the store keeps it, so the
// attachment is never decoded into memory only to be dropped.
func ParseLean(raw []byte) *Parsed { return parse(raw, true) }

func parse(raw []byte, lean bool) (out *Parsed) {
	m := &inbox.Message{
		Channel:      inbox.ChannelEmail,
		Direction:    inbox.In,
		Raw:          raw,
		ContentHash:  ContentHash(raw),
		ThreadReason: inbox.ReasonNew,
	}
	p := &parser{raw: raw, lean: lean}
	out = &Parsed{Message: m}
	defer func() {
		if r := recover(); r != nil {
			*m = inbox.Message{Channel: inbox.ChannelEmail, Direction: inbox.In, Raw: raw, ContentHash: m.ContentHash,
				ThreadReason: inbox.ReasonNew, ParseError: fmt.Sprintf("email: the parser failed on this message: %v", r)}
			out.Warnings = nil
		}
	}()
	if len(raw) == 0 {
		m.ParseError = "email: the message is empty"
		return out
	}
	if !looksLikeHeader(raw) {
		m.ParseError = "email: not an email message: it does not start with a header field"
		m.Text = headerlessText(raw)
		return out
	}
	hdrBytes, body, sep := cutHeader(raw)
	h, skipped, truncated := parseHeader(hdrBytes, maxHeaderBytes)
	if len(h) == 0 {
		m.ParseError = "email: not an email message: no header field could be read"
		m.Text = headerlessText(raw)
		return out
	}
	if !sep && len(body) > 0 {
		p.warn("no blank line after the header: the body starts at the first line that is not a field")
	}
	if skipped > 0 {
		p.warn("%d malformed header lines skipped", skipped)
	}
	if truncated {
		p.warn("header larger than %d KiB: the rest ignored", maxHeaderBytes>>10)
	}
	p.fields(m, h)
	m.HeaderHash = headerHash(h, int64(len(raw)))
	p.entity(h, body, 0, "text/plain", "")

	m.Text = strings.Join(p.texts, "\n\n")
	m.HTML = strings.Join(p.htmls, "\n")
	if strings.TrimSpace(m.Text) == "" && m.HTML != "" {
		m.Text = htmlToText(m.HTML)
	}
	m.Text = strings.ToValidUTF8(m.Text, "\uFFFD")
	m.HTML = strings.ToValidUTF8(m.HTML, "\uFFFD")
	m.Attachments = p.atts
	out.Warnings = p.warnings
	out.CharsetGuessed = p.charsetGuessed
	return out
}

// fields reads the header fields every message view needs (RFC 5322
// section 3.6) into m.
func (p *parser) fields(m *inbox.Message, h header) {
	ct, params := p.contentType(h, "text/plain")
	if !strings.HasPrefix(ct, "multipart/") {
		p.fallbackCharset = params["charset"]
	}

	m.Subject = strings.TrimSpace(p.text(h.Get("Subject")))
	if from := p.addresses(h.Get("From")); len(from) > 0 {
		m.From = from[0]
	} else if sender := p.addresses(h.Get("Sender")); len(sender) > 0 {
		m.From = sender[0]
	}
	m.To = p.addresses(strings.Join(h.Values("To"), ", "))
	m.Cc = p.addresses(strings.Join(h.Values("Cc"), ", "))
	m.Bcc = p.addresses(strings.Join(h.Values("Bcc"), ", "))
	if d := h.Get("Date"); d != "" {
		if t, ok := parseDate(d); ok {
			m.Date = t
		} else {
			p.warn("date %q unreadable", clip(d, 60))
		}
	}
	m.MessageID = firstMsgID(h.Get("Message-ID"))
	m.InReplyTo = firstMsgID(h.Get("In-Reply-To"))
	m.References = capRefs(msgIDs(strings.Join(h.Values("References"), " ")))
	m.Auto = isAuto(h, m.Subject, m.From, ct)
}

// headerlessText is the searchable text of bytes that are not a message:
// empty for binary data, else the bytes decoded by best effort.
func headerlessText(raw []byte) string {
	if bytes.IndexByte(raw, 0) >= 0 {
		return ""
	}
	if len(raw) > maxTextBytes {
		raw = raw[:maxTextBytes]
	}
	return strings.ToValidUTF8(bestEffort(raw), "\uFFFD")
}

// capRefs keeps the root and the newest references (RFC 5322 section
// 3.6.4 lets clients trim the middle, as Apple Mail does).
func capRefs(refs []string) []string {
	if len(refs) <= maxReferences {
		return refs
	}
	out := append([]string{refs[0]}, refs[len(refs)-maxReferences+1:]...)
	return out
}

// clip shortens s for a warning.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
