package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// hashedFields are the header fields that tell one message from another.
// Fields that servers add on delivery (Received, Return-Path, Delivered-To,
// X-*) are left out, so the same message fetched from two folders, two
// servers or an mbox file hashes the same.
var hashedFields = []string{"Message-ID", "Date", "From", "To", "Cc", "Subject", "In-Reply-To"}

// ContentHash returns a stable digest of a message's identity: its defining
// header fields and its body, with line endings, trailing whitespace and
// mbox ">From " quoting normalized. Two different messages that share a
// Message-ID hash differently; one message copied anywhere hashes the same.
func ContentHash(raw []byte) string {
	h := sha256.New()
	hdr, body := splitHeader(raw)
	if !looksLikeHeader(raw) {
		hdr, body = nil, raw
	}
	fields, _, _ := parseHeader(hdr, maxHeaderBytes)
	// The normalized text goes to the digest in large chunks: a Write per
	// line cost as much again as the hashing itself.
	buf := make([]byte, 0, hashChunk+1024)
	flush := func() {
		h.Write(buf)
		buf = buf[:0]
	}
	for _, k := range hashedFields {
		buf = append(buf, strings.ToLower(k)...)
		buf = append(buf, ':')
		buf = append(buf, strings.Join(strings.Fields(fields.Get(k)), " ")...)
		buf = append(buf, '\n')
	}
	buf = append(buf, 0)
	pending := 0 // blank lines not yet written, so trailing ones drop
	for len(body) > 0 {
		var line []byte
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			line, body = body, nil
		}
		line = trimRightSpace(line)
		if len(line) > 1 && line[0] == '>' && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
			line = line[1:]
		}
		if len(line) == 0 {
			pending++
			continue
		}
		for ; pending > 0; pending-- {
			buf = append(buf, '\n')
			if len(buf) >= hashChunk {
				flush()
			}
		}
		if len(buf)+len(line) >= hashChunk {
			flush()
			if len(line) >= hashChunk {
				h.Write(line)
				line = nil
			}
		}
		buf = append(buf, line...)
		buf = append(buf, '\n')
	}
	flush()
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// hashChunk is how much normalized text ContentHash gathers per digest
// Write.
const hashChunk = 16 << 10

// trimRightSpace drops trailing spaces, tabs and carriage returns.
func trimRightSpace(b []byte) []byte {
	n := len(b)
	for n > 0 && (b[n-1] == ' ' || b[n-1] == '\t' || b[n-1] == '\r') {
		n--
	}
	return b[:n]
}

// headerHash identifies a message before its body is downloaded: its
// defining header fields (as ContentHash reads them) and its exact size
// (RFC822.SIZE, RFC 9051 section 7.5.2), so the same message fetched whole
// later, or in another folder, is recognised.
func headerHash(h header, size int64) string {
	d := sha256.New()
	for _, k := range hashedFields {
		d.Write([]byte(strings.ToLower(k)))
		d.Write([]byte{':'})
		d.Write([]byte(strings.Join(strings.Fields(h.Get(k)), " ")))
		d.Write([]byte{'\n'})
	}
	d.Write([]byte("size:" + strconv.FormatInt(size, 10)))
	return hex.EncodeToString(d.Sum(nil)[:16])
}
