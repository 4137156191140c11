package htmlsafe

import (
	"fmt"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxInput is the largest HTML body Sanitize accepts (a larger one is cut
// there and the result says so); mail bodies beyond it are pathological.
const MaxInput = 8 << 20

// Options says what the user allowed for this message.
type Options struct {
	// RemoteImages loads remote images (the user chose "load images" once,
	// or always for this sender). Tracking pixels stay removed.
	RemoteImages bool
	// Inline maps a cid: reference (RFC 2392, without the angle brackets) to
	// the data: URL of the message's inline image; only raster images are
	// used.
	Inline map[string]string
}

// Image is a remote image the result does not load.
type Image struct {
	URL string `json:"url"`
	Alt string `json:"alt,omitempty"`
}

// Tracker is a tracking pixel removed from the message.
type Tracker struct {
	URL string `json:"url"`
	// Name is the service ("Mailchimp") or "Tracking pixel" when unknown.
	Name string `json:"name"`
	// Reason says how it was recognised.
	Reason string `json:"reason"`
}

// Link is a link in the message, with its real address.
type Link struct {
	Text string `json:"text"`
	URL  string `json:"url"`
	// Mismatch is set when the text shows a web address on another host
	// than the link goes to, a common phishing trick.
	Mismatch bool `json:"mismatch,omitempty"`
}

// Result is a sanitized message body with what was held back.
type Result struct {
	// HTML is the safe body fragment, to be shown in the sandboxed frame.
	HTML string `json:"html"`
	// BlockedImages are remote images shown as placeholders.
	BlockedImages []Image `json:"blocked_images"`
	// RemoteImages is how many remote images the result loads (only when
	// Options.RemoteImages).
	RemoteImages int `json:"remote_images"`
	// Trackers are the tracking pixels removed.
	Trackers []Tracker `json:"trackers"`
	// Links are the message's links, for "open in browser" with the real
	// address shown.
	Links []Link `json:"links"`
	// InlineImages lists the cid: references, which the window resolves to
	// the message's inline attachments.
	InlineImages []string `json:"inline_images"`
	// Truncated is set when the input was longer than MaxInput.
	Truncated bool `json:"truncated,omitempty"`
}

var (
	policyOnce sync.Once
	policy     *bluemonday.Policy
)

func strict() *bluemonday.Policy {
	policyOnce.Do(func() { policy = newPolicy() })
	return policy
}

// Sanitize applies the strict email policy to an HTML mail body.
func Sanitize(body string, o Options) Result {
	r := Result{BlockedImages: []Image{}, Trackers: []Tracker{}, Links: []Link{}, InlineImages: []string{}}
	if len(body) > MaxInput {
		body, r.Truncated = body[:MaxInput], true
	}
	clean := strict().Sanitize(body)
	r.HTML = rewrite(clean, o, &r)
	return r
}

// rewrite walks the policy's output token by token: it turns remote images
// into placeholders (or keeps them when allowed), removes tracking pixels,
// keeps only http, https and mailto links and gives each link its real
// address as its title. The input is the policy's own output, so it holds
// only allowed elements; tokens are written back escaped.
func rewrite(clean string, o Options, r *Result) string {
	z := html.NewTokenizer(strings.NewReader(clean))
	var b strings.Builder
	b.Grow(len(clean) + 256)
	var link *Link
	var linkText strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch {
		case (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && tok.DataAtom == atom.Img:
			if !image(&tok, o, r) {
				continue
			}
		case tt == html.StartTagToken && tok.DataAtom == atom.A:
			href := attr(tok, "href")
			if href != "" && !linkScheme(href) {
				dropAttr(&tok, "href")
				href = ""
			}
			if href != "" {
				setAttr(&tok, "title", href)
				link = &Link{URL: href}
				linkText.Reset()
			}
		case tt == html.EndTagToken && tok.DataAtom == atom.A:
			if link != nil {
				link.Text = strings.Join(strings.Fields(linkText.String()), " ")
				link.Mismatch = mismatch(link.Text, link.URL)
				r.Links = append(r.Links, *link)
				link = nil
			}
		case tt == html.TextToken && link != nil:
			linkText.WriteString(tok.Data)
		}
		b.WriteString(tok.String())
	}
	return b.String()
}

// image handles one <img>; false drops it.
func image(tok *html.Token, o Options, r *Result) bool {
	src := strings.TrimSpace(attr(*tok, "src"))
	lower := strings.ToLower(src)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		if t, ok := tracker(*tok, src); ok {
			r.Trackers = append(r.Trackers, t)
			return false
		}
		if o.RemoteImages {
			r.RemoteImages++
			return true
		}
		alt := attr(*tok, "alt")
		r.BlockedImages = append(r.BlockedImages, Image{URL: src, Alt: alt})
		dropAttr(tok, "src")
		setAttr(tok, "data-blocked-src", src)
		setAttr(tok, "class", "tidings-blocked")
		if alt == "" {
			setAttr(tok, "alt", "")
		}
		setAttr(tok, "title", fmt.Sprintf("Image from %s (not loaded)", host(src)))
	case strings.HasPrefix(lower, "cid:"):
		cid := strings.Trim(src[4:], "<> ")
		r.InlineImages = append(r.InlineImages, cid)
		if data, ok := o.Inline[cid]; ok && isDataImage(data) {
			setAttr(tok, "src", data)
			return true
		}
		dropAttr(tok, "src")
		setAttr(tok, "data-cid", cid)
		setAttr(tok, "class", "tidings-inline")
	case isDataImage(src):
	default:
		dropAttr(tok, "src")
	}
	return true
}

func linkScheme(href string) bool {
	h := strings.ToLower(strings.TrimSpace(href))
	return strings.HasPrefix(h, "http://") || strings.HasPrefix(h, "https://") || strings.HasPrefix(h, "mailto:")
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val
		}
	}
	return ""
}

func setAttr(t *html.Token, name, val string) {
	for i, a := range t.Attr {
		if a.Namespace == "" && a.Key == name {
			t.Attr[i].Val = val
			return
		}
	}
	t.Attr = append(t.Attr, html.Attribute{Key: name, Val: val})
}

func dropAttr(t *html.Token, name string) {
	out := t.Attr[:0]
	for _, a := range t.Attr {
		if a.Key != name {
			out = append(out, a)
		}
	}
	t.Attr = out
}
