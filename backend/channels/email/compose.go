package email

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"

	"tidings/backend/inbox"
)

// Draft is a message to send.
type Draft struct {
	From        inbox.Address
	To, Cc, Bcc []inbox.Address
	Subject     string
	Text        string
	// InReplyTo and References thread the message (RFC 5322 section
	// 3.6.4); ReplyTo fills both from the message answered.
	InReplyTo   string
	References  []string
	Attachments []inbox.Attachment
	Date        time.Time
	// MessageID is generated when empty.
	MessageID string
}

// Recipients returns the envelope recipients: To, Cc and Bcc.
func (d Draft) Recipients() []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range [][]inbox.Address{d.To, d.Cc, d.Bcc} {
		for _, a := range l {
			k := strings.ToLower(a.Address)
			if !seen[k] {
				seen[k] = true
				out = append(out, a.Address)
			}
		}
	}
	return out
}

// NewMessageID returns a fresh Message-ID on the sender's domain.
func NewMessageID(from string) string {
	var b [15]byte
	rand.Read(b[:])
	domain := "tidings.local"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = strings.ToLower(from[i+1:])
	}
	return "<" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])) + "@" + domain + ">"
}

// Reply drafts an answer to parent from the business: to the customer (the
// sender, or the recipients when parent is ours), with "Re:" and the
// threading headers. All adds the other recipients as Cc, without us.
func Reply(parent inbox.Message, from inbox.Address, own []string, all bool, body string) Draft {
	isOwn := map[string]bool{strings.ToLower(from.Address): true}
	for _, o := range own {
		isOwn[strings.ToLower(o)] = true
	}
	d := Draft{From: from, Text: body, InReplyTo: parent.MessageID}
	if parent.Direction == inbox.Out {
		d.To = parent.To
	} else {
		d.To = []inbox.Address{parent.From}
	}
	if all {
		seen := map[string]bool{}
		for _, a := range d.To {
			seen[strings.ToLower(a.Address)] = true
		}
		for _, l := range [][]inbox.Address{parent.To, parent.Cc} {
			for _, a := range l {
				k := strings.ToLower(a.Address)
				if !isOwn[k] && !seen[k] {
					seen[k] = true
					d.Cc = append(d.Cc, a)
				}
			}
		}
	}
	subj := strings.TrimSpace(parent.Subject)
	if !strings.HasPrefix(strings.ToLower(subj), "re:") {
		subj = "Re: " + subj
	}
	d.Subject = subj
	refs := append([]string(nil), parent.References...)
	if len(refs) == 0 && parent.InReplyTo != "" {
		refs = []string{parent.InReplyTo}
	}
	if parent.MessageID != "" {
		refs = append(refs, parent.MessageID)
	}
	// Keep the root and the newest: RFC 5322 section 3.6.4 allows trimming.
	if len(refs) > 20 {
		refs = append([]string{refs[0]}, refs[len(refs)-19:]...)
	}
	d.References = refs
	return d
}

// Compose renders a draft as an RFC 5322 message: UTF-8 text in
// quoted-printable, attachments in base64. Bcc is written for our own copy;
// StripBcc removes it before transmission (RFC 5322 section 3.6.3). It
// sets d.MessageID and d.Date when they are empty.
func Compose(d *Draft) ([]byte, error) {
	if d.From.Address == "" {
		return nil, fmt.Errorf("email: the draft has no sender: %w", inbox.ErrInvalid)
	}
	if len(d.To)+len(d.Cc)+len(d.Bcc) == 0 {
		return nil, fmt.Errorf("email: the draft has no recipients: %w", inbox.ErrInvalid)
	}
	if d.MessageID == "" {
		d.MessageID = NewMessageID(d.From.Address)
	}
	if d.Date.IsZero() {
		d.Date = time.Now()
	}
	var h mail.Header
	h.SetDate(d.Date)
	h.SetAddressList("From", []*mail.Address{{Name: d.From.Name, Address: d.From.Address}})
	h.SetAddressList("To", addrs(d.To))
	if len(d.Cc) > 0 {
		h.SetAddressList("Cc", addrs(d.Cc))
	}
	if len(d.Bcc) > 0 {
		// Kept in our copy (outbox, Sent) so the owner sees who got it;
		// StripBcc removes it from what is transmitted.
		h.SetAddressList("Bcc", addrs(d.Bcc))
	}
	h.SetSubject(d.Subject)
	h.SetMessageID(strings.Trim(d.MessageID, "<>"))
	if d.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{strings.Trim(d.InReplyTo, "<>")})
	}
	if len(d.References) > 0 {
		ids := make([]string, len(d.References))
		for i, r := range d.References {
			ids[i] = strings.Trim(r, "<>")
		}
		h.SetMsgIDList("References", ids)
	}
	h.Set("MIME-Version", "1.0")
	h.Set("User-Agent", "Tidings")
	text := strings.ReplaceAll(d.Text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\n", "\r\n")
	var buf bytes.Buffer
	if len(d.Attachments) == 0 {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := mail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			return nil, fmt.Errorf("email: compose: %w", err)
		}
		io.WriteString(w, text)
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("email: compose: %w", err)
		}
		return buf.Bytes(), nil
	}
	mw, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return nil, fmt.Errorf("email: compose: %w", err)
	}
	var th mail.InlineHeader
	th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	tw, err := mw.CreateSingleInline(th)
	if err != nil {
		return nil, fmt.Errorf("email: compose: %w", err)
	}
	io.WriteString(tw, text)
	tw.Close()
	for _, a := range d.Attachments {
		var ah mail.AttachmentHeader
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		ah.SetContentType(ct, nil)
		ah.SetFilename(a.Name)
		aw, err := mw.CreateAttachment(ah)
		if err != nil {
			return nil, fmt.Errorf("email: compose: %w", err)
		}
		aw.Write(a.Data)
		aw.Close()
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("email: compose: %w", err)
	}
	return buf.Bytes(), nil
}

func addrs(l []inbox.Address) []*mail.Address {
	out := make([]*mail.Address, len(l))
	for i, a := range l {
		out[i] = &mail.Address{Name: a.Name, Address: a.Address}
	}
	return out
}

// StripBcc returns raw without its Bcc header field, for transmission.
func StripBcc(raw []byte) []byte {
	hdr, body, _ := cutHeader(raw)
	var out bytes.Buffer
	out.Grow(len(raw))
	skipping := false
	for len(hdr) > 0 {
		line := hdr
		if i := bytes.IndexByte(hdr, '\n'); i >= 0 {
			line, hdr = hdr[:i+1], hdr[i+1:]
		} else {
			hdr = nil
		}
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if !skipping {
				out.Write(line)
			}
			continue
		}
		skipping = len(line) >= 4 && strings.EqualFold(string(line[:4]), "bcc:")
		if !skipping {
			out.Write(line)
		}
	}
	if body != nil {
		out.WriteString("\r\n")
		out.Write(body)
	}
	return out.Bytes()
}
