// Package export writes any slice of a Tidings store in formats other
// programs read: mbox (the mboxrd variant, with email kept byte for byte), a
// zip of .eml files (RFC 5322), a lossless and versioned JSON document
// (SCHEMA.md), CSV for spreadsheets (RFC 4180), self-contained HTML
// transcripts and PDF transcripts. Every writer streams, reports progress,
// and writes through a temporary file that replaces the destination only
// when the export is complete, so a failed export (a full disk, a closed
// window) never leaves a half-written file behind.
package export

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Format names an export format.
type Format string

// Export formats.
const (
	MBOX Format = "mbox"
	EML  Format = "eml"
	JSON Format = "json"
	CSV  Format = "csv"
	HTML Format = "html"
	PDF  Format = "pdf"
)

// Formats lists every format, in the order a menu shows them.
var Formats = []Format{MBOX, EML, JSON, CSV, HTML, PDF}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == strings.ToLower(strings.TrimSpace(s)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("export: unknown format %q (want mbox, eml, json, csv, html or pdf): %w", s, inbox.ErrInvalid)
}

// AttachmentMode says how a JSON export carries attachments and originals.
type AttachmentMode string

// Attachment modes for JSON.
const (
	// AttachFiles writes attachments and originals as files in a folder
	// beside the JSON file, named "<out>.files".
	AttachFiles AttachmentMode = "files"
	// AttachBase64 embeds them in the JSON as base64.
	AttachBase64 AttachmentMode = "base64"
)

// Options describe one export.
type Options struct {
	Format Format
	// ConversationIDs selects what to export, in this order. Nil exports
	// every conversation.
	ConversationIDs []string
	// Out is the file to write. For HTML with more than one conversation it
	// is a folder holding one transcript per conversation and an index.
	Out string
	// Attachments chooses how JSON carries files (default AttachFiles).
	Attachments AttachmentMode
	// NoBOM leaves the UTF-8 byte order mark out of CSV. With it (the
	// default) Excel reads the file as UTF-8; LibreOffice reads both.
	NoBOM bool
	// Progress, if set, is called as messages are written.
	Progress func(done, total int)
	// FontDirs overrides where the PDF writer looks for fonts.
	FontDirs []string
	// Generator names the program in the files' metadata.
	Generator string
	// Now is the clock (for file metadata); nil means time.Now.
	Now func() time.Time
	// Complete, if set, downloads whole the selected messages stored
	// without all of their original (syncer.FetchOriginals) before the
	// export is written, telling progress (when not nil) how many it has
	// dealt with, and returns why each one it could not stays incomplete.
	// Incomplete messages are named in Result either way.
	Complete func(ctx context.Context, messageIDs []string, progress func(done, total int)) map[string]error
	// DownloadProgress, if set, is called as Complete works through the
	// incomplete messages.
	DownloadProgress func(done, total int)
	// SkipDownloads, once closed, stops Complete: the export goes on with
	// the messages not yet downloaded as they are stored, each named.
	SkipDownloads <-chan struct{}
}

// Result says what an export wrote.
type Result struct {
	Format        Format   `json:"format"`
	Path          string   `json:"path"`
	Conversations int      `json:"conversations"`
	Messages      int      `json:"messages"`
	Files         int      `json:"files"`
	Bytes         int64    `json:"bytes"`
	Warnings      []string `json:"warnings"`
	// Incomplete lists the IDs of messages exported without part of their
	// original (a body or attachments never downloaded); Warnings say
	// which and why.
	Incomplete []string `json:"incomplete,omitempty"`
}

// ErrEmpty means the selection holds nothing to export.
var ErrEmpty = errors.New("export: nothing to export")

// Export writes the selected conversations of st in o.Format to o.Out.
func Export(ctx context.Context, st *store.Store, o Options) (Result, error) {
	res := Result{Format: o.Format, Path: o.Out, Warnings: []string{}}
	if o.Out == "" {
		return res, fmt.Errorf("export: no output path given: %w", inbox.ErrInvalid)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Generator == "" {
		o.Generator = "Tidings"
	}
	if o.Attachments == "" {
		o.Attachments = AttachFiles
	}
	if o.Attachments != AttachFiles && o.Attachments != AttachBase64 {
		return res, fmt.Errorf("export: attachments must be %q or %q, not %q: %w", AttachFiles, AttachBase64, o.Attachments, inbox.ErrInvalid)
	}
	ids := o.ConversationIDs
	if ids == nil {
		var err error
		if ids, err = st.AllConversationIDs(ctx); err != nil {
			return res, fmt.Errorf("export: %w", err)
		}
	}
	for _, id := range ids {
		if _, err := st.Conversation(ctx, id); err != nil {
			return res, fmt.Errorf("export: %w", err)
		}
		if len(ids) > 50 {
			break // one check is enough to catch a mistyped ID on the command line
		}
	}
	if len(ids) == 0 {
		return res, ErrEmpty
	}
	total, err := st.CountMessages(ctx, ids)
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err := completeOriginals(ctx, st, ids, o, &res); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	p := newProgress(o.Progress, total)
	res.Conversations = len(ids)
	switch o.Format {
	case MBOX:
		err = writeFile(o.Out, &res, func(w *countingWriter) error { return writeMbox(ctx, w, st, ids, p, &res) })
	case EML:
		err = writeFile(o.Out, &res, func(w *countingWriter) error { return writeEMLZip(ctx, w, st, ids, p, &res, o.Now()) })
	case CSV:
		err = writeFile(o.Out, &res, func(w *countingWriter) error { return writeCSV(ctx, w, st, ids, p, &res, !o.NoBOM) })
	case JSON:
		err = writeJSONExport(ctx, st, ids, o, p, &res)
	case HTML:
		err = writeHTMLExport(ctx, st, ids, o, p, &res)
	case PDF:
		err = writeFile(o.Out, &res, func(w *countingWriter) error { return writePDF(ctx, w, st, ids, o, p, &res) })
	default:
		_, err = ParseFormat(string(o.Format))
	}
	if err != nil {
		return res, err
	}
	p.finish()
	return res, nil
}

// progress throttles progress callbacks to whole-percent steps.
type progress struct {
	fn          func(done, total int)
	done, total int
	last        int
}

func newProgress(fn func(int, int), total int) *progress {
	p := &progress{fn: fn, total: total, last: -1}
	if fn != nil {
		fn(0, total)
	}
	return p
}

func (p *progress) add(n int) {
	p.done += n
	if p.fn == nil || p.total == 0 {
		return
	}
	if pct := p.done * 100 / p.total; pct != p.last {
		p.last = pct
		p.fn(p.done, p.total)
	}
}

func (p *progress) finish() {
	if p.fn != nil && p.last != 100 {
		p.fn(p.total, p.total)
	}
}
