package email

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"

	"tidings/backend/inbox"
)

// Head is what a message's list entry needs, fetched before its body: the
// header, the MIME structure (RFC 9051 section 7.5.2, BODYSTRUCTURE), flags
// and size.
type Head struct {
	Meta
	Header    []byte
	Structure imap.BodyStructure
}

var headSection = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}

// Heads fetches the header and structure of uids (UID FETCH (FLAGS
// INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER])): a few hundred
// bytes a message, so the newest thousand list at once.
func (s *Session) Heads(ctx context.Context, uids []uint32) ([]Head, error) {
	if len(uids) == 0 {
		return nil, nil
	}
	opts := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: s.Has("CONDSTORE"),
		BodyStructure: &imap.FetchItemBodyStructure{Extended: true}, BodySection: []*imap.FetchItemBodySection{headSection}}
	var out []Head
	err := s.do(ctx, func() error {
		bufs, err := s.c.Fetch(uidSet(uids), opts).Collect()
		for _, b := range bufs {
			if b.UID == 0 || b.BodyStructure == nil {
				continue
			}
			out = append(out, Head{Meta: metaOf(b), Header: b.FindBodySection(headSection), Structure: b.BodyStructure})
		}
		return err
	})
	if err != nil {
		return nil, s.classify("UID FETCH (BODYSTRUCTURE)", err)
	}
	return out, nil
}

// ParseHead reads a message from its Head alone: every field the list and
// threading need, the attachments as the structure lists them (not
// fetched), Text empty and BodyPending set.
func ParseHead(h Head) *Parsed {
	m := &inbox.Message{Channel: inbox.ChannelEmail, Direction: inbox.In, ThreadReason: inbox.ReasonNew, BodyPending: true}
	p := &parser{}
	hdr, skipped, truncated := parseHeader(h.Header, maxHeaderBytes)
	if skipped > 0 {
		p.warn("%d malformed header lines skipped", skipped)
	}
	if truncated {
		p.warn("header larger than %d KiB: the rest ignored", maxHeaderBytes>>10)
	}
	p.fields(m, hdr)
	m.HeaderHash = headerHash(hdr, h.Size)
	if h.Structure != nil {
		walkLeaves(h.Structure, "", func(part string, sp *imap.BodyStructureSinglePart) {
			if isBodyText(sp) {
				return
			}
			m.Attachments = append(m.Attachments, structureAttachment(p, part, sp))
		})
	}
	return &Parsed{Message: m, Warnings: p.warnings}
}

// walkLeaves calls fn for every single part of a structure with its body
// section; an attached message (message/rfc822) is one leaf, as the parser
// sees it.
func walkLeaves(bs imap.BodyStructure, part string, fn func(part string, sp *imap.BodyStructureSinglePart)) {
	switch b := bs.(type) {
	case *imap.BodyStructureMultiPart:
		for i, c := range b.Children {
			walkLeaves(c, childPart(part, i), fn)
		}
	case *imap.BodyStructureSinglePart:
		if part == "" {
			part = "1"
		}
		fn(part, b)
	}
}

// isBodyText reports whether a part is message text rather than an
// attachment: plain or HTML text not marked as an attachment and without a
// file name.
func isBodyText(sp *imap.BodyStructureSinglePart) bool {
	ct := sp.MediaType()
	if ct != "text/plain" && ct != "text/html" {
		return false
	}
	if d := sp.Disposition(); d != nil && strings.EqualFold(d.Value, "attachment") {
		return false
	}
	return sp.Filename() == ""
}

// structureAttachment lists an attachment from its structure: name, type,
// size (decoded, estimated from the encoded size), part and encoding.
func structureAttachment(p *parser, part string, sp *imap.BodyStructureSinglePart) inbox.Attachment {
	ct := sp.MediaType()
	name := p.text(sp.Filename())
	if name == "" {
		name = defaultName(ct, 1)
	}
	disp := ""
	if d := sp.Disposition(); d != nil {
		disp = strings.ToLower(d.Value)
	}
	cid := strings.Trim(strings.TrimSpace(sp.ID), "<>")
	enc := strings.ToLower(strings.TrimSpace(sp.Encoding))
	return inbox.Attachment{Name: safeName(name), ContentType: ct, Size: decodedSize(enc, int64(sp.Size)), ContentID: cid,
		Inline: disp == "inline" || (disp == "" && cid != ""), Part: part, Encoding: enc}
}

// decodedSize estimates the size of a part's data from its encoded size:
// base64 carries 57 bytes in each 78-byte line.
func decodedSize(encoding string, size int64) int64 {
	if encoding == "base64" {
		return size * 57 / 78
	}
	return size
}

// LargeParts lists the body sections of a message's attachments larger than
// limit bytes (encoded), to leave on the server; text is never left.
func LargeParts(bs imap.BodyStructure, limit int64) map[string]bool {
	if bs == nil || limit <= 0 {
		return nil
	}
	var out map[string]bool
	walkLeaves(bs, "", func(part string, sp *imap.BodyStructureSinglePart) {
		if int64(sp.Size) > limit && !isBodyText(sp) {
			if out == nil {
				out = map[string]bool{}
			}
			out[part] = true
		}
	})
	return out
}

// FetchPartial downloads a message without the bodies of the parts in
// skip: its header, and each part's MIME header and body (BODY.PEEK[n.MIME],
// BODY.PEEK[n]), put back together with the structure's boundaries. The
// result parses like the original, with the skipped parts empty.
func (s *Session) FetchPartial(ctx context.Context, h Head, skip map[string]bool) (Fetched, error) {
	sections := []*imap.FetchItemBodySection{headSection}
	var walk func(bs imap.BodyStructure, part string)
	walk = func(bs imap.BodyStructure, part string) {
		if part != "" {
			sections = append(sections, &imap.FetchItemBodySection{Specifier: imap.PartSpecifierMIME, Part: partPath(part), Peek: true})
		}
		switch b := bs.(type) {
		case *imap.BodyStructureMultiPart:
			for i, c := range b.Children {
				walk(c, childPart(part, i))
			}
		case *imap.BodyStructureSinglePart:
			leaf := part
			if leaf == "" {
				leaf = "1"
			}
			if !skip[leaf] {
				sections = append(sections, &imap.FetchItemBodySection{Part: partPath(leaf), Peek: true})
			}
		}
	}
	walk(h.Structure, "")
	opts := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: s.Has("CONDSTORE"), BodySection: sections}
	var got Fetched
	err := s.do(ctx, func() error {
		bufs, err := s.c.Fetch(uidSet([]uint32{h.UID}), opts).Collect()
		if err != nil {
			return err
		}
		for _, b := range bufs {
			if b.UID == 0 {
				continue
			}
			find := func(spec imap.PartSpecifier, part string) []byte {
				return b.FindBodySection(&imap.FetchItemBodySection{Specifier: spec, Part: partPath(part), Peek: true})
			}
			got = Fetched{Meta: metaOf(b), Raw: rebuild(b.FindBodySection(headSection), h.Structure, find, skip)}
		}
		return nil
	})
	if err != nil {
		return got, s.classify("UID FETCH (parts)", err)
	}
	if got.Raw == nil {
		return got, fmt.Errorf("email: the server no longer has UID %d: %w", h.UID, inbox.ErrNotFound)
	}
	return got, nil
}

// rebuild puts a message back together from its header and its parts'
// MIME headers and bodies (RFC 2046 section 5.1.1), leaving skipped bodies
// empty.
func rebuild(header []byte, bs imap.BodyStructure, find func(imap.PartSpecifier, string) []byte, skip map[string]bool) []byte {
	out := append([]byte(nil), header...)
	var body func(bs imap.BodyStructure, part string)
	body = func(bs imap.BodyStructure, part string) {
		switch b := bs.(type) {
		case *imap.BodyStructureMultiPart:
			boundary := ""
			if b.Extended != nil {
				boundary = b.Extended.Params["boundary"]
			}
			for i, c := range b.Children {
				cp := childPart(part, i)
				out = append(out, "--"+boundary+"\r\n"...)
				out = append(out, find(imap.PartSpecifierMIME, cp)...)
				body(c, cp)
				out = append(out, "\r\n"...)
			}
			out = append(out, "--"+boundary+"--\r\n"...)
		case *imap.BodyStructureSinglePart:
			leaf := part
			if leaf == "" {
				leaf = "1"
			}
			if !skip[leaf] {
				out = append(out, find(imap.PartSpecifierNone, leaf)...)
			}
		}
	}
	body(bs, "")
	return out
}

// LeaveOnServer marks the attachments of a message parsed from a partial
// original (FetchPartial) whose parts were skipped: not fetched, no data,
// their size and encoding from the structure. Its header hash is the
// whole message's, so fetching it whole later finds it.
func LeaveOnServer(p *Parsed, h Head, skip map[string]bool) {
	hdr, _, _ := parseHeader(h.Header, maxHeaderBytes)
	p.Message.HeaderHash = headerHash(hdr, h.Size)
	sizes := map[string]*imap.BodyStructureSinglePart{}
	walkLeaves(h.Structure, "", func(part string, sp *imap.BodyStructureSinglePart) { sizes[part] = sp })
	for i := range p.Message.Attachments {
		a := &p.Message.Attachments[i]
		sp := sizes[a.Part]
		if !skip[a.Part] || sp == nil {
			continue
		}
		a.Encoding = strings.ToLower(strings.TrimSpace(sp.Encoding))
		a.Fetched, a.Data, a.InRaw, a.Size = false, nil, [2]int{}, decodedSize(a.Encoding, int64(sp.Size))
	}
}

// FetchPart downloads one part's body (BODY.PEEK[part]) of the selected
// folder's message uid, still transfer-encoded.
func (s *Session) FetchPart(ctx context.Context, uid uint32, part string) ([]byte, error) {
	section := &imap.FetchItemBodySection{Part: partPath(part), Peek: true}
	var data []byte
	found := false
	err := s.do(ctx, func() error {
		bufs, err := s.c.Fetch(uidSet([]uint32{uid}), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		for _, b := range bufs {
			if b.UID != 0 {
				data, found = b.FindBodySection(section), true
			}
		}
		return err
	})
	if err != nil {
		return nil, s.classify(fmt.Sprintf("UID FETCH (BODY[%s])", part), err)
	}
	if !found {
		return nil, fmt.Errorf("email: the server no longer has UID %d in %q: %w", uid, s.selected, inbox.ErrNotFound)
	}
	return data, nil
}

// partPath turns "1.2" into [1 2].
func partPath(part string) []int {
	var out []int
	for _, f := range strings.Split(part, ".") {
		n := 0
		for _, c := range f {
			n = n*10 + int(c-'0')
		}
		out = append(out, n)
	}
	return out
}
