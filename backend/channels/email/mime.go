package email

import (
	"bytes"
	"mime"
	"path"
	"strconv"
	"strings"
	"unsafe"

	"tidings/backend/inbox"
)

// entity walks one MIME entity (RFC 2045 section 2.4): a multipart is split
// and its children walked, a leaf becomes body text or an attachment.
// part is the entity's IMAP body section, "" for the message itself.
func (p *parser) entity(h header, body []byte, depth int, defaultType, part string) {
	p.parts++
	if p.parts > maxParts {
		if p.parts == maxParts+1 {
			p.warn("more than %d MIME parts: the rest ignored", maxParts)
		}
		return
	}
	ct, params := p.contentType(h, defaultType)
	if strings.HasPrefix(ct, "multipart/") {
		boundary := params["boundary"]
		if boundary == "" {
			p.warn("%s without a boundary read as text", ct)
			p.leaf(h, body, "text/plain", params, part)
			return
		}
		if depth >= maxDepth {
			p.warn("MIME nesting deeper than %d: inner parts ignored", maxDepth)
			return
		}
		parts, closed := splitMultipart(body, boundary)
		if !closed {
			p.warn("%s is missing its closing boundary", ct)
		}
		childType := "text/plain"
		if ct == "multipart/digest" {
			childType = "message/rfc822" // RFC 2046 section 5.1.5
		}
		if ct == "multipart/alternative" {
			p.alternative(parts, depth+1, part)
			return
		}
		for i, child := range parts {
			ph, pb := splitPart(child)
			p.entity(ph, pb, depth+1, childType, childPart(part, i))
		}
		return
	}
	p.leaf(h, body, ct, params, part)
}

// alternative keeps the last (richest, RFC 2046 section 5.1.4) plain and
// HTML renderings among the children; attachments of every child stay.
func (p *parser) alternative(parts [][]byte, depth int, part string) {
	savedT, savedH := p.texts, p.htmls
	var bestT, bestH []string
	for i, child := range parts {
		p.texts, p.htmls = nil, nil
		ph, pb := splitPart(child)
		p.entity(ph, pb, depth, "text/plain", childPart(part, i))
		if len(p.texts) > 0 {
			bestT = p.texts
		}
		if len(p.htmls) > 0 {
			bestH = p.htmls
		}
	}
	p.texts = append(savedT, bestT...)
	p.htmls = append(savedH, bestH...)
}

// leaf handles a single-part entity.
func (p *parser) leaf(h header, body []byte, ct string, params map[string]string, part string) {
	disp, dparams := p.disposition(h)
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = p.text(name)
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	isText := ct == "text/plain" || ct == "text/html"
	bodyText := isText && disp != "attachment" && (name == "" || (ct == "text/plain" && len(p.texts) == 0) || (ct == "text/html" && len(p.htmls) == 0))
	if p.lean && !bodyText && !strings.HasPrefix(ct, "message/") {
		if span := p.span(body); span[1] > span[0] {
			if size, known := inbox.DecodedSize(cte, body); known {
				if name == "" {
					name = defaultName(ct, len(p.atts)+1)
				}
				p.attachment(h, ct, disp, name, part, cte, nil, size, span)
				return
			}
		}
	}
	data := p.decodeTransfer(cte, body)
	if bodyText {
		s, guessed := decodeCharset(params["charset"], data)
		if guessed {
			p.guessed(params["charset"])
		}
		if ct == "text/html" {
			if p.htmlBytes+len(s) > maxTextBytes {
				p.warn("HTML body larger than %d MiB: cut", maxTextBytes>>20)
				s = clip(s, max(0, maxTextBytes-p.htmlBytes))
			}
			p.htmlBytes += len(s)
			p.htmls = append(p.htmls, s)
		} else {
			if p.textBytes+len(s) > maxTextBytes {
				p.warn("text body larger than %d MiB: cut", maxTextBytes>>20)
				s = clip(s, max(0, maxTextBytes-p.textBytes))
			}
			p.textBytes += len(s)
			p.texts = append(p.texts, s)
		}
		return
	}
	if name == "" {
		name = defaultName(ct, len(p.atts)+1)
		if ct == "message/rfc822" || ct == "message/global" {
			if sub := p.text(headerOf(data).Get("Subject")); sub != "" {
				name = safeName(sub) + ".eml"
			}
		}
	}
	var span [2]int
	if _, known := inbox.DecodeTransfer(cte, nil); known {
		span = p.span(body)
	}
	p.attachment(h, ct, disp, name, part, cte, data, int64(len(data)), span)
}

// attachment adds a leaf that is not body text as an attachment: data
// decoded, or (ParseLean) nil with its encoded body at span in raw.
func (p *parser) attachment(h header, ct, disp, name, part, cte string, data []byte, size int64, span [2]int) {
	cid := strings.Trim(strings.TrimSpace(h.Get("Content-ID")), "<>")
	if part == "" {
		part = "1" // a message that is not multipart has its body as part 1
	}
	p.atts = append(p.atts, inbox.Attachment{
		Name:        safeName(name),
		ContentType: ct,
		Size:        size,
		ContentID:   cid,
		Inline:      disp == "inline" || (disp == "" && cid != ""),
		Fetched:     true,
		Data:        data,
		Part:        part,
		Encoding:    cte,
		InRaw:       span,
	})
}

// headerOf parses the header of an embedded message.
func headerOf(b []byte) header {
	hb, _ := splitHeader(b)
	h, _, _ := parseHeader(hb, maxHeaderBytes)
	return h
}

// splitPart cuts a part into its header and body. A part whose first line is
// neither a header field nor blank has no header (a broken mailer).
func splitPart(part []byte) (header, []byte) {
	if len(part) == 0 {
		return nil, nil
	}
	if part[0] == '\n' || bytes.HasPrefix(part, []byte("\r\n")) {
		_, body := splitHeader(part)
		return nil, body
	}
	if !looksLikeHeader(part) {
		return nil, part
	}
	hb, body := splitHeader(part)
	h, _, _ := parseHeader(hb, maxHeaderBytes)
	return h, body
}

// contentType reads Content-Type (RFC 2045 section 5), tolerating bad
// parameters; a missing or unreadable type is defaultType.
func (p *parser) contentType(h header, defaultType string) (string, map[string]string) {
	v := h.Get("Content-Type")
	if strings.TrimSpace(v) == "" {
		return defaultType, map[string]string{}
	}
	t, params, err := mime.ParseMediaType(v)
	if err != nil {
		t, params = looseMediaType(v)
	}
	t = strings.ToLower(t)
	if !strings.Contains(t, "/") || strings.ContainsAny(t, " \t") {
		p.warn("Content-Type %q unreadable: read as %s", clip(v, 60), defaultType)
		return defaultType, params
	}
	if params == nil {
		params = map[string]string{}
	}
	return t, params
}

// disposition reads Content-Disposition (RFC 2183) with RFC 2231 names.
func (p *parser) disposition(h header) (string, map[string]string) {
	v := h.Get("Content-Disposition")
	if strings.TrimSpace(v) == "" {
		return "", map[string]string{}
	}
	d, params, err := mime.ParseMediaType(v)
	if err != nil {
		d, params = looseMediaType(v)
	}
	if params == nil {
		params = map[string]string{}
	}
	return strings.ToLower(d), params
}

// looseMediaType splits "type; k=v; k2="v 2"" without the grammar: the
// first value of a duplicated parameter wins.
func looseMediaType(v string) (string, map[string]string) {
	params := map[string]string{}
	segs := strings.Split(v, ";")
	t := strings.ToLower(strings.TrimSpace(segs[0]))
	for _, s := range segs[1:] {
		k, val, ok := strings.Cut(s, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		k = strings.TrimSuffix(k, "*")
		val = strings.TrimSpace(val)
		val = strings.Trim(val, `"`)
		if i := strings.Index(val, "''"); i >= 0 && strings.HasSuffix(strings.TrimSpace(s[:strings.IndexByte(s, '=')]), "*") {
			if dec, err := urlUnescape(val[i+2:]); err == nil {
				val = dec
			}
		}
		if _, dup := params[k]; !dup && k != "" {
			params[k] = val
		}
	}
	return t, params
}

// urlUnescape decodes RFC 2231 percent escapes.
func urlUnescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// splitMultipart cuts a multipart body at its boundary delimiter lines (RFC
// 2046 section 5.1.1). The line break before a delimiter belongs to it. A
// body without a closing delimiter ends its last part at the end of the data.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	delim := []byte("--" + boundary)
	start, i := -1, 0
	for i < len(body) {
		k := bytes.Index(body[i:], delim)
		if k < 0 {
			break
		}
		pos := i + k
		if pos > 0 && body[pos-1] != '\n' {
			i = pos + 1
			continue
		}
		after := pos + len(delim)
		next := len(body)
		rest := body[after:]
		if e := bytes.IndexByte(rest, '\n'); e >= 0 {
			rest, next = rest[:e], after+e+1
		}
		rest = bytes.TrimRight(rest, " \t\r")
		isClose := bytes.Equal(rest, []byte("--"))
		if !isClose && len(rest) != 0 {
			i = pos + 1 // a longer boundary sharing this prefix
			continue
		}
		if start >= 0 {
			end := pos
			if end > start && body[end-1] == '\n' {
				end--
				if end > start && body[end-1] == '\r' {
					end--
				}
			}
			parts = append(parts, body[start:end])
			if len(parts) > maxParts {
				return parts, false
			}
		}
		if isClose {
			return parts, true
		}
		start, i = next, next
	}
	if start >= 0 && start < len(body) {
		parts = append(parts, body[start:])
	}
	return parts, false
}

// decodeTransfer undoes Content-Transfer-Encoding (RFC 2045 section 6),
// tolerating bad base64 and quoted-printable rather than failing.
func (p *parser) decodeTransfer(cte string, body []byte) []byte {
	data, ok := inbox.DecodeTransfer(cte, body)
	if !ok {
		p.warn("transfer encoding %q unknown: kept as is", clip(cte, 30))
	}
	return data
}

// span locates body inside the original bytes: [start, end), or zero when
// it is not a piece of them.
func (p *parser) span(body []byte) [2]int {
	if len(body) == 0 || len(p.raw) == 0 {
		return [2]int{}
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(p.raw)))
	b := uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	if b < base || b+uintptr(len(body)) > base+uintptr(len(p.raw)) {
		return [2]int{}
	}
	start := int(b - base)
	return [2]int{start, start + len(body)}
}

// childPart is the IMAP body section of a multipart's i-th child (RFC 9051
// section 6.4.5): "2" at the top, "1.2" below part 1.
func childPart(parent string, i int) string {
	if parent == "" {
		return itoa(i + 1)
	}
	return parent + "." + itoa(i+1)
}

// defaultName names an attachment that has no name.
func defaultName(ct string, n int) string {
	ext := ".bin"
	if exts, _ := mime.ExtensionsByType(ct); len(exts) > 0 {
		ext = exts[0]
	}
	switch ct {
	case "message/rfc822", "message/global":
		ext = ".eml"
	case "text/plain":
		ext = ".txt"
	case "text/html":
		ext = ".html"
	}
	return "attachment-" + itoa(n) + ext
}

// safeName drops directories and control characters from a file name.
func safeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	name = path.Base("/" + name)
	if name == "/" || name == "." || name == ".." {
		return "attachment"
	}
	return clip(name, 200)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
