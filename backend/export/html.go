package export

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"tidings/backend/htmlsafe"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

var blockedSrc = regexp.MustCompile(` data-blocked-src="[^"]*"`)

// safeHTML runs a message's HTML body through the window's sanitizer
// (htmlsafe, remote images not loaded, trackers removed) and puts the
// message's own inline images (cid: references, RFC 2392) back as data:
// URLs, so the transcript needs nothing from the network.
func safeHTML(m *inbox.Message) template.HTML {
	res := htmlsafe.Sanitize(m.HTML, htmlsafe.Options{})
	// A transcript has no "load images" button: drop the blocked images'
	// addresses too (the title still names the host).
	out := blockedSrc.ReplaceAllString(res.HTML, "")
	for _, cid := range res.InlineImages {
		for _, a := range m.Attachments {
			if strings.Trim(a.ContentID, "<> ") != cid || !isImage(a.ContentType) || len(a.Data) == 0 || len(a.Data) > maxInlineImage {
				continue
			}
			attr := `data-cid="` + html.EscapeString(cid) + `"`
			src := `src="data:` + strings.ToLower(a.ContentType) + `;base64,` + base64.StdEncoding.EncodeToString(a.Data) + `" `
			out = strings.ReplaceAll(out, attr, src+attr)
			break
		}
	}
	return template.HTML(out)
}

// maxInlineImage is the largest image attachment embedded in a transcript.
const maxInlineImage = 5 << 20

// Every page carries a Content-Security-Policy that forbids every remote
// resource: only inline styles and images embedded as data: URIs load.

var transcriptTmpl = template.Must(template.New("t").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"size": humanSize,
}).Parse(`<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="generator" content="{{.Generator}}">
<title>{{.Title}}</title>
<style>
body{font-family:"Noto Sans","Segoe UI","Helvetica Neue",Arial,"Noto Sans CJK JP",sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
header{border-bottom:2px solid #333;margin-bottom:1em}
h1{font-size:1.5em;margin:.2em 0}
.meta{color:#555;font-size:.9em}
.msg{border:1px solid #ccc;border-radius:6px;padding:.6em .9em;margin:.8em 0;page-break-inside:avoid;break-inside:avoid}
.msg.out{background:#f3f7fc;margin-left:2em}
.msg.in{margin-right:2em}
.who{font-weight:bold}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:.4em}
.parse{color:#a33}
.atts{margin:.4em 0 0;padding-left:1.2em;font-size:.9em}
.atts img{max-width:100%;display:block;margin:.3em 0}
.html{white-space:normal}
.html img{max-width:100%;height:auto}
img.tidings-blocked{display:inline-block;border:1px dashed #aaa;min-width:2em;min-height:1em}
.html table{max-width:100%}
.note{background:#fff8dc;border-left:4px solid #e0c050;padding:.4em .8em;margin:.6em 0}
.event{color:#666;font-size:.85em;margin:.3em 0}
footer{color:#777;font-size:.8em;border-top:1px solid #ccc;margin-top:2em;padding-top:.4em}
@media print{body{margin:0;max-width:none}.msg.out,.msg.in{margin-left:0;margin-right:0}a{color:inherit}}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<div class="meta">{{.Contact}} · {{.Channel}} · {{.Status}}{{if .Labels}} · {{.Labels}}{{end}} · {{len .Messages}} messages</div>
</header>
{{range .Messages}}<section class="msg {{.Direction}}">
<div><span class="who">{{if eq .Direction "out"}}→{{else}}←{{end}} {{.From}}</span> <span class="meta">{{when .Date}} · {{.Channel}}</span></div>
{{if .To}}<div class="meta">To: {{.To}}{{if .Cc}} · Cc: {{.Cc}}{{end}}</div>{{end}}
{{if .Subject}}<div class="meta">Subject: {{.Subject}}</div>{{end}}
{{if .ParseError}}<div class="parse">This message could not be read ({{.ParseError}}); its original is kept in Tidings.</div>{{end}}
{{if .HTML}}<div class="body html" dir="auto">{{.HTML}}</div>{{else}}<div class="body" dir="auto">{{.Text}}</div>{{end}}
{{if .Attachments}}<ul class="atts">{{range .Attachments}}<li>📎 {{.Name}} ({{.Type}}, {{size .Size}}){{if .Image}}<img src="{{.Image}}" alt="{{.Name}}">{{end}}</li>{{end}}</ul>{{end}}
</section>
{{end}}{{range .Notes}}<div class="note"><b>Private note</b> · <span class="meta">{{when .CreatedAt}}</span><div class="body">{{.Body}}</div></div>
{{end}}{{if .Events}}<h2 style="font-size:1em">History</h2>{{range .Events}}<div class="event">{{when .At}} · {{.Kind}}: {{.Detail}}</div>
{{end}}{{end}}<footer>Exported by {{.Generator}} on {{when .Now}}. Conversation {{.ID}}.</footer>
</body>
</html>
`))

type htmlAttachment struct {
	Name, Type string
	Size       int64
	Image      template.URL
}

type htmlMessage struct {
	Direction, From, To, Cc, Subject, Channel, Text, ParseError string
	HTML                                                        template.HTML
	Date                                                        time.Time
	Attachments                                                 []htmlAttachment
}

type htmlPage struct {
	ID, Title, Contact, Channel, Status, Labels, Generator string
	Now                                                    time.Time
	Messages                                               []htmlMessage
	Notes                                                  []inbox.Note
	Events                                                 []inbox.Event
}

// writeTranscriptHTML writes one conversation as a self-contained HTML page.
func writeTranscriptHTML(w io.Writer, t *transcript, generator string, now time.Time) error {
	page := htmlPage{ID: t.Conv.ID, Title: t.title(), Contact: t.Contact.DisplayName(), Channel: string(t.Conv.Channel),
		Status: string(t.Conv.Status), Labels: strings.Join(t.Conv.Labels, ", "), Generator: generator, Now: now,
		Notes: t.Notes, Events: t.Events}
	for i := range t.Messages {
		m := &t.Messages[i]
		hm := htmlMessage{Direction: string(m.Direction), From: sender(m), To: joinAddrs(m.To), Cc: joinAddrs(m.Cc),
			Subject: m.Subject, Channel: string(m.Channel), Text: m.Text, ParseError: m.ParseError, Date: m.Date}
		if m.Subject == t.Conv.Subject || m.Subject == "Re: "+t.Conv.Subject {
			hm.Subject = ""
		}
		if m.HTML != "" && m.ParseError == "" {
			hm.HTML = safeHTML(m)
		}
		for _, a := range m.Attachments {
			ha := htmlAttachment{Name: a.Name, Type: a.ContentType, Size: a.Size}
			if isImage(a.ContentType) && len(a.Data) > 0 && len(a.Data) <= maxInlineImage {
				ha.Image = template.URL("data:" + a.ContentType + ";base64," + base64.StdEncoding.EncodeToString(a.Data))
			}
			hm.Attachments = append(hm.Attachments, ha)
		}
		page.Messages = append(page.Messages, hm)
	}
	return transcriptTmpl.Execute(w, page)
}

func isImage(ct string) bool {
	switch strings.ToLower(ct) {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

var indexTmpl = template.Must(template.New("i").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><title>Tidings export</title>
<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}li{margin:.3em 0}</style></head>
<body><h1>Tidings export</h1><p>{{len .Items}} conversations.</p><ul>
{{range .Items}}<li><a href="{{.File}}">{{.Title}}</a> · {{.Contact}} · {{.Count}} messages</li>
{{end}}</ul></body></html>
`))

type indexItem struct {
	File           template.URL
	Title, Contact string
	Count          int
}

// writeHTMLExport writes one transcript to o.Out for a single conversation,
// and otherwise a folder at o.Out with one transcript per conversation and
// an index.html.
func writeHTMLExport(ctx context.Context, st *store.Store, ids []string, o Options, p *progress, res *Result) error {
	now := o.Now()
	if len(ids) == 1 {
		return writeFile(o.Out, res, func(w *countingWriter) error {
			return eachTranscript(ctx, st, ids, true, func(t *transcript) error {
				res.Messages += len(t.Messages)
				p.add(len(t.Messages))
				return writeTranscriptHTML(w, t, o.Generator, now)
			})
		})
	}
	if _, err := os.Stat(o.Out); err == nil {
		return fmt.Errorf("export: %s already exists; an HTML export of several conversations is a new folder", o.Out)
	}
	tmp := o.Out + ".part-" + randomHex()
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return createErr(o.Out, err)
	}
	defer os.RemoveAll(tmp)
	names := uniqueNames{}
	var items []indexItem
	var sub Result
	err := eachTranscript(ctx, st, ids, true, func(t *transcript) error {
		name := names.name(t.fileName(), ".html")
		err := writeFile(filepath.Join(tmp, name), &sub, func(w *countingWriter) error {
			return writeTranscriptHTML(w, t, o.Generator, now)
		})
		if err != nil {
			return err
		}
		items = append(items, indexItem{File: template.URL(name), Title: t.title(), Contact: t.Contact.DisplayName(), Count: len(t.Messages)})
		res.Messages += len(t.Messages)
		p.add(len(t.Messages))
		return nil
	})
	if err != nil {
		return err
	}
	err = writeFile(filepath.Join(tmp, "index.html"), &sub, func(w *countingWriter) error {
		return indexTmpl.Execute(w, map[string]any{"Items": items})
	})
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, o.Out); err != nil {
		return createErr(o.Out, err)
	}
	res.Files += sub.Files
	res.Bytes += sub.Bytes
	return nil
}
