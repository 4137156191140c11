package export

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"tidings/backend/export/pdfdoc"
	"tidings/backend/store"
)

// systemFonts is shared by PDF exports: finding and parsing fonts is done
// once per process.
var (
	systemFontsOnce sync.Once
	systemFonts     *pdfdoc.FontSet
)

func fontSet(dirs []string) *pdfdoc.FontSet {
	if len(dirs) > 0 {
		return pdfdoc.NewFontSet(dirs...)
	}
	systemFontsOnce.Do(func() { systemFonts = pdfdoc.NewFontSet() })
	return systemFonts
}

// writePDF writes the selected conversations as one PDF, each starting on a
// new page, with page numbers in the footer. Scripts no installed font
// covers are named in the text and in res.Warnings.
func writePDF(ctx context.Context, w io.Writer, st *store.Store, ids []string, o Options, p *progress, res *Result) error {
	title := "Tidings export"
	doc := pdfdoc.New(fontSet(o.FontDirs), title)
	doc.Producer = o.Generator
	now := o.Now()
	first := true
	err := eachTranscript(ctx, st, ids, true, func(t *transcript) error {
		if len(ids) == 1 {
			doc.Title = t.title()
		}
		if !first {
			doc.NewPage()
		}
		first = false
		layoutTranscript(doc, t)
		res.Messages += len(t.Messages)
		p.add(len(t.Messages))
		return doc.Err()
	})
	if err != nil {
		return err
	}
	if un := doc.Unshaped(); len(un) > 0 {
		msg := fmt.Sprintf("the PDF cannot lay out %s text (its letters join or reorder): that text is replaced by a note; the HTML export shows it", strings.Join(un, ", "))
		res.Warnings = append(res.Warnings, msg)
		doc.NewPage()
		doc.Paragraph("Note on scripts: "+msg+".", pdfdoc.Style{Size: 10, Gray: 0.3})
	}
	if miss := doc.Missing(); len(miss) > 0 {
		msg := fmt.Sprintf("no installed font covers %s: that text is replaced by a note in the PDF (install a font for it, e.g. from the Noto family)", strings.Join(miss, ", "))
		res.Warnings = append(res.Warnings, msg)
		doc.NewPage()
		doc.Paragraph("Note on fonts: "+msg+".", pdfdoc.Style{Size: 10, Gray: 0.3})
	}
	doc.Space(0)
	doc.Paragraph(fmt.Sprintf("Exported by %s on %s.", o.Generator, now.UTC().Format("2 Jan 2006 15:04 UTC")), pdfdoc.Style{Size: 8, Gray: 0.5})
	_, err = doc.WriteTo(w)
	return err
}

func layoutTranscript(doc *pdfdoc.Doc, t *transcript) {
	doc.Paragraph(t.title(), pdfdoc.Style{Size: 17, Bold: true, SpaceAfter: 3})
	meta := fmt.Sprintf("%s · %s · %s · %d messages", t.Contact.DisplayName(), t.Conv.Channel, t.Conv.Status, len(t.Messages))
	if len(t.Conv.Labels) > 0 {
		meta += " · " + strings.Join(t.Conv.Labels, ", ")
	}
	doc.Paragraph(meta, pdfdoc.Style{Size: 9, Gray: 0.35, SpaceAfter: 2})
	doc.Rule(0.3)
	doc.Space(6)
	for i := range t.Messages {
		m := &t.Messages[i]
		verb := "Received from"
		if m.Direction == "out" {
			verb = "Sent by"
		}
		doc.Paragraph(verb+" "+sender(m), pdfdoc.Style{Size: 10.5, Bold: true})
		line := m.Date.UTC().Format("2 Jan 2006 15:04 UTC") + " · " + string(m.Channel)
		if to := joinAddrs(m.To); to != "" {
			line += " · to " + to
		}
		doc.Paragraph(line, pdfdoc.Style{Size: 8.5, Gray: 0.4, SpaceAfter: 3})
		if m.Subject != "" && m.Subject != t.Conv.Subject && m.Subject != "Re: "+t.Conv.Subject {
			doc.Paragraph("Subject: "+m.Subject, pdfdoc.Style{Size: 9, Gray: 0.25, Indent: 12})
		}
		if m.ParseError != "" {
			doc.Paragraph("This message could not be read ("+m.ParseError+"); its original is kept in Tidings.", pdfdoc.Style{Size: 9, Gray: 0.3, Indent: 12})
		}
		doc.Paragraph(strings.TrimRight(m.Text, "\n "), pdfdoc.Style{Size: 10.5, Indent: 12, SpaceAfter: 4})
		for _, a := range m.Attachments {
			doc.Paragraph(fmt.Sprintf("Attachment: %s (%s, %s)", a.Name, a.ContentType, humanSize(a.Size)), pdfdoc.Style{Size: 9, Gray: 0.3, Indent: 12})
			if isImage(a.ContentType) && len(a.Data) > 0 && len(a.Data) <= maxInlineImage {
				doc.Image(a.Data, 12, 220)
			}
		}
		doc.Space(10)
	}
	for _, n := range t.Notes {
		doc.Paragraph("Private note · "+n.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC"), pdfdoc.Style{Size: 9, Bold: true, Gray: 0.3})
		doc.Paragraph(n.Body, pdfdoc.Style{Size: 10, Indent: 12, SpaceAfter: 8})
	}
	if len(t.Events) > 0 {
		doc.Paragraph("History", pdfdoc.Style{Size: 9, Bold: true, Gray: 0.3})
		for _, e := range t.Events {
			doc.Paragraph(e.At.UTC().Format("2 Jan 2006 15:04")+" · "+e.Kind+": "+e.Detail, pdfdoc.Style{Size: 8.5, Gray: 0.4, Indent: 12})
		}
	}
}
