package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"tidings/backend/inbox"
)

// originalOrRFC5322 returns a message's original bytes when it has them
// (email, exactly as received), and otherwise a well-formed RFC 5322
// message built from what the store holds.
func originalOrRFC5322(m *inbox.Message) []byte {
	if len(m.Raw) > 0 {
		return m.Raw
	}
	return buildRFC5322(m)
}

// mailAddress makes any channel's address usable in a mail header: email
// addresses stay, others (a Telegram user ID, a phone number) become
// "<id>@<channel>.invalid" (RFC 2606 reserves .invalid).
func mailAddress(ch inbox.Channel, a inbox.Address) string {
	addr := a.Address
	if ch != inbox.ChannelEmail || !strings.Contains(addr, "@") {
		local := strings.Map(func(r rune) rune {
			if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+-._", r)) {
				return r
			}
			return -1
		}, addr)
		if local == "" {
			local = "unknown"
		}
		addr = local + "@" + string(ch) + ".invalid"
	}
	if a.Name == "" {
		return "<" + addr + ">"
	}
	return mime.QEncoding.Encode("utf-8", a.Name) + " <" + addr + ">"
}

func addressList(ch inbox.Channel, as []inbox.Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		parts = append(parts, mailAddress(ch, a))
	}
	return strings.Join(parts, ", ")
}

// syntheticMessageID makes an RFC 5322 Message-ID for a chat message.
func syntheticMessageID(m *inbox.Message) string {
	if m.Channel == inbox.ChannelEmail && strings.HasPrefix(m.MessageID, "<") {
		return m.MessageID
	}
	return "<" + m.ID + "@" + string(m.Channel) + ".tidings.invalid>"
}

// buildRFC5322 writes a message as RFC 5322 + MIME (RFC 2045-2049): text
// as quoted-printable UTF-8, an HTML alternative when there is one, and
// attachments as base64 parts.
func buildRFC5322(m *inbox.Message) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) {
		if v != "" {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	date := m.Date
	if date.IsZero() {
		date = m.ReceivedAt
	}
	hdr("From", mailAddress(m.Channel, m.From))
	hdr("To", addressList(m.Channel, m.To))
	hdr("Cc", addressList(m.Channel, m.Cc))
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", date.UTC().Format(time.RFC1123Z))
	hdr("Message-ID", syntheticMessageID(m))
	if m.InReplyTo != "" && strings.HasPrefix(m.InReplyTo, "<") {
		hdr("In-Reply-To", m.InReplyTo)
	}
	if len(m.References) > 0 && strings.HasPrefix(m.References[0], "<") {
		hdr("References", strings.Join(m.References, " "))
	}
	hdr("X-Tidings-Channel", string(m.Channel))
	hdr("X-Tidings-Message", m.ID)
	hdr("X-Tidings-Conversation", m.ConversationID)
	hdr("X-Tidings-Direction", string(m.Direction))
	if m.Channel != inbox.ChannelEmail && m.MessageID != "" {
		hdr("X-Tidings-Channel-Message-ID", m.MessageID)
	}
	hdr("MIME-Version", "1.0")
	atts := m.Attachments
	boundary := func(tag string) string {
		sum := sha256.Sum256([]byte(m.ID + tag))
		return "tidings-" + tag + "-" + hex.EncodeToString(sum[:8])
	}
	writeText := func() {
		if m.HTML == "" {
			b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
			writeQP(&b, m.Text)
			return
		}
		alt := boundary("alt")
		b.WriteString("Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n")
		b.WriteString("--" + alt + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		writeQP(&b, m.Text)
		b.WriteString("--" + alt + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		writeQP(&b, m.HTML)
		b.WriteString("--" + alt + "--\r\n")
	}
	if len(atts) == 0 {
		writeText()
		return b.Bytes()
	}
	mixed := boundary("mixed")
	b.WriteString("Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n")
	b.WriteString("--" + mixed + "\r\n")
	writeText()
	for _, a := range atts {
		b.WriteString("--" + mixed + "\r\n")
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		name := mime.QEncoding.Encode("utf-8", a.Name)
		fmt.Fprintf(&b, "Content-Type: %s; name=\"%s\"\r\n", ct, name)
		disp := "attachment"
		if a.Inline {
			disp = "inline"
		}
		fmt.Fprintf(&b, "Content-Disposition: %s; filename=\"%s\"\r\n", disp, name)
		if a.ContentID != "" {
			fmt.Fprintf(&b, "Content-ID: <%s>\r\n", strings.Trim(a.ContentID, "<>"))
		}
		if !a.Fetched && a.Data == nil {
			b.WriteString("X-Tidings-Note: the attachment was not downloaded before export\r\n")
		}
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		writeBase64Lines(&b, a.Data)
	}
	b.WriteString("--" + mixed + "--\r\n")
	return b.Bytes()
}

// writeQP writes text as quoted-printable with CRLF line ends (RFC 2045
// section 6.7).
func writeQP(b *bytes.Buffer, text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\n", "\r\n")
	w := quotedprintable.NewWriter(b)
	w.Write([]byte(text))
	w.Close()
	b.WriteString("\r\n")
}

// writeBase64Lines writes data as base64 in 76-character lines.
func writeBase64Lines(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc + "\r\n")
	}
}
