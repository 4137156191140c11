package inbox

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
)

// DecodeTransfer undoes a MIME Content-Transfer-Encoding (RFC 2045 section
// 6), tolerating bad base64 and quoted-printable rather than failing. ok is
// false for an encoding it does not know (body comes back as is). The email
// parser and the store (reading an attachment out of an original) share it,
// so both get the same bytes.
func DecodeTransfer(encoding string, body []byte) (data []byte, ok bool) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		return decodeBase64(body), true
	case "quoted-printable":
		return decodeQP(body), true
	case "", "7bit", "8bit", "binary":
		return body, true
	}
	return body, false
}

// DecodedSize is len(data) of DecodeTransfer(encoding, body) without
// keeping the data: base64 and quoted-printable are decoded into a reused
// buffer. ok is false for an encoding DecodeTransfer does not know.
func DecodedSize(encoding string, body []byte) (size int64, ok bool) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		n := base64.StdEncoding.DecodedLen(len(body))
		if n > maxScratch {
			return int64(len(decodeBase64(body))), true
		}
		bp := scratch.Get().(*[]byte)
		defer scratch.Put(bp)
		if cap(*bp) < n {
			*bp = make([]byte, n)
		}
		out := (*bp)[:n]
		if k, err := base64.StdEncoding.Decode(out, bytes.TrimSpace(body)); err == nil {
			return int64(k), true
		}
		return int64(len(decodeBase64(body))), true
	case "quoted-printable":
		return int64(len(decodeQP(body))), true
	case "", "7bit", "8bit", "binary":
		return int64(len(body)), true
	}
	return int64(len(body)), false
}

// maxScratch bounds the buffers DecodedSize keeps for reuse.
const maxScratch = 1 << 20

// scratch holds DecodedSize's buffers.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// decodeBase64 decodes base64, skipping characters outside the alphabet and
// ignoring a truncated final group.
func decodeBase64(b []byte) []byte {
	// Fast path: well-formed base64 with line breaks, which the standard
	// decoder skips.
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	if n, err := base64.StdEncoding.Decode(out, bytes.TrimSpace(b)); err == nil {
		return out[:n]
	}
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out = out[:base64.RawStdEncoding.DecodedLen(len(clean))]
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// decodeQP decodes quoted-printable; a "=" not followed by two hex digits
// or a line break is kept literally.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		switch {
		case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			i += 2
		case i+1 < len(b) && b[i+1] == '\n':
			i++
		case i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]):
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
		default:
			// Soft break with trailing whitespace before the line end.
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j < len(b) && (b[j] == '\n' || (b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n')) {
				if b[j] == '\r' {
					j++
				}
				i = j
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
