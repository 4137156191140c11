package inbox

import (
	"bytes"
	"encoding/base64"
	"strings"
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
		return base64Size(body), true
	case "quoted-printable":
		return int64(len(decodeQP(body))), true
	case "", "7bit", "8bit", "binary":
		return int64(len(body)), true
	}
	return int64(len(body)), false
}

// base64Size is the length decodeBase64 gives body, counted without
// decoding it: every character of the alphabet (and of the URL-safe one,
// which decodeBase64 maps to it) carries 6 bits, padding and anything else
// none, and a final group too short to make a byte makes none.
func base64Size(body []byte) int64 {
	var n int64
	for _, c := range body {
		n += int64(base64Alphabet[c])
	}
	return n * 6 / 8
}

// base64Alphabet is 1 for the bytes decodeBase64 decodes.
var base64Alphabet = func() (t [256]uint8) {
	for _, r := range []string{"AZ", "az", "09", "++", "//", "--", "__"} {
		for c := r[0]; c <= r[1]; c++ {
			t[c] = 1
		}
	}
	return t
}()

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
	// Unpadded, clean can need more room than the padded guess above made
	// ("QQ": none there, one byte here).
	if k := base64.RawStdEncoding.DecodedLen(len(clean)); k <= cap(out) {
		out = out[:k]
	} else {
		out = make([]byte, k)
	}
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
