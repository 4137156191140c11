package htmlsafe

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// allowedElements is what a browser may find in the output, after parsing
// it the way a browser does (html.Parse adds html, head and body).
var allowedElements = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`html head body p br div span hr center blockquote pre code kbd samp tt
		b strong i em u s strike del ins small big sub sup mark abbr cite q h1 h2 h3 h4 h5 h6 address article
		section header footer main aside nav figure figcaption wbr ol ul li dl dt dd table thead tbody tfoot tr
		td th caption col colgroup font a img`) {
		allowedElements[e] = true
	}
}

var allowedAttrs = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`align valign width height bgcolor border cellpadding cellspacing colspan
		rowspan nowrap dir lang title color face size style href name rel target alt src data-blocked-src
		data-cid class type value scope headers span`) {
		allowedAttrs[a] = true
	}
}

var badStyle = regexp.MustCompile(`(?i)url\s*\(|expression|image-set|@import|behavior|binding|javascript|\\|position|z-index`)

// checkSafe fails t for every problem unsafe finds.
func checkSafe(t *testing.T, out string, remoteAllowed bool) {
	t.Helper()
	for _, p := range unsafe(out, remoteAllowed) {
		t.Error(p)
	}
}

// unsafe parses out as a browser would and lists every way it could run
// code, fetch, submit or navigate.
func unsafe(out string, remoteAllowed bool) []string {
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return []string{"output does not parse: " + err.Error()}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Namespace != "" {
				errorf("foreign element <%s:%s> in output", n.Namespace, n.Data)
			}
			if !allowedElements[n.Data] {
				errorf("element <%s> in output", n.Data)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case a.Namespace != "":
					errorf("namespaced attribute %s:%s on <%s>", a.Namespace, a.Key, n.Data)
				case strings.HasPrefix(key, "on"):
					errorf("event handler %s on <%s>", a.Key, n.Data)
				case !allowedAttrs[key]:
					errorf("attribute %s on <%s>", a.Key, n.Data)
				case key == "href":
					if !(strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "mailto:")) {
						errorf("href %q on <%s>", a.Val, n.Data)
					}
				case key == "src":
					if n.Data != "img" {
						errorf("src on <%s>", n.Data)
					}
					remote := strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://")
					if !(isDataImage(val) || (remoteAllowed && remote)) {
						errorf("img src %q kept", a.Val)
					}
				case key == "style":
					if badStyle.MatchString(a.Val) {
						errorf("style %q on <%s>", a.Val, n.Data)
					}
				case strings.Contains(val, "canary") && key != "title" && key != "data-blocked-src":
					errorf("canary address in %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return problems
}

func corpus(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("corpus has %d hostile mails, want at least 100", len(files))
	}
	return files
}

// vector is a corpus file's name without its number.
func vector(name string) string {
	if i := strings.IndexByte(name, '-'); i >= 0 {
		return name[i+1:]
	}
	return name
}

var swallowsRest = map[string]bool{
	"svg-slash-onload": true, "frameset": true, "embed-src": true, "embed-js": true,
	"mxss-form-math": true, "mxss-plaintext": true, "mxss-unclosed-quote": true,
}

func TestHostileCorpus(t *testing.T) {
	for _, f := range corpus(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, remote := range []bool{false, true} {
				r := Sanitize(string(raw), Options{RemoteImages: remote})
				checkSafe(t, r.HTML, remote)
				// Sanitizing the output again must be safe too and change
				// nothing more (no mutation on a second pass).
				again := Sanitize(r.HTML, Options{RemoteImages: remote})
				checkSafe(t, again.HTML, remote)
				if !strings.Contains(r.HTML, "hostile-"+name+": this mail") {
					t.Errorf("the message's own text was lost:\n%s", r.HTML)
				}
				// An element left open whose content is dropped (an unclosed
				// <svg>, <embed>, <plaintext>...) takes the rest of the mail
				// with it: safe, so only the others must keep their end.
				if !swallowsRest[vector(name)] && !strings.Contains(r.HTML, "end of hostile-"+name) {
					t.Errorf("the end of the message was lost:\n%s", r.HTML)
				}
			}
		})
	}
}

// The checker is not vacuous: on the raw corpus it finds problems in
// nearly every mail.
func TestCheckerCatchesRawMail(t *testing.T) {
	files := corpus(t)
	caught := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Without the harmless head every corpus file shares.
		body := regexp.MustCompile(`(?s)<head>.*?</head>`).ReplaceAllString(string(raw), "")
		if len(unsafe(body, false)) > 0 {
			caught++
		}
	}
	if caught < len(files)*9/10 {
		t.Errorf("the checker flagged %d of %d raw hostile mails, want at least 90%%", caught, len(files))
	}
}

func TestHostileSpecifics(t *testing.T) {
	read := func(t *testing.T, prefix string) string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join("testdata", "hostile", "[0-9][0-9][0-9]-"+prefix+".html"))
		if len(m) != 1 {
			t.Fatalf("no single corpus file %s*", prefix)
		}
		b, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Run("remote image becomes a placeholder", func(t *testing.T) {
		r := Sanitize(read(t, "img-remote"), Options{})
		if len(r.BlockedImages) != 1 || !strings.HasPrefix(r.BlockedImages[0].URL, "https://images.shop.example/") {
			t.Fatalf("blocked images: got %+v, want the catalogue image", r.BlockedImages)
		}
		if !strings.Contains(r.HTML, `data-blocked-src="https://images.shop.example/`) || strings.Contains(r.HTML, ` src="https://images`) {
			t.Errorf("got %s, want a placeholder without src", r.HTML)
		}
		r = Sanitize(read(t, "img-remote"), Options{RemoteImages: true})
		if r.RemoteImages != 1 || !strings.Contains(r.HTML, `src="https://images.shop.example/`) {
			t.Errorf("with images allowed: got %d remote, %s", r.RemoteImages, r.HTML)
		}
	})
	trackers := []struct{ file, name string }{
		{"tracker-1x1", "Tracking pixel"},
		{"tracker-mailchimp", "Mailchimp"},
		{"tracker-sendgrid", "SendGrid"},
		{"tracker-hidden", "Tracking pixel"},
		{"tracker-css-size", "Tracking pixel"},
		{"tracker-path", "Tracking pixel"},
	}
	for _, tc := range trackers {
		t.Run("tracker "+tc.file, func(t *testing.T) {
			for _, remote := range []bool{false, true} {
				r := Sanitize(read(t, tc.file), Options{RemoteImages: remote})
				if len(r.Trackers) != 1 || r.Trackers[0].Name != tc.name {
					t.Fatalf("trackers: got %+v, want one named %s", r.Trackers, tc.name)
				}
				if strings.Contains(r.HTML, "<img") {
					t.Errorf("the pixel is still in %s", r.HTML)
				}
			}
		})
	}
	t.Run("phishing link is flagged", func(t *testing.T) {
		r := Sanitize(read(t, "a-phishing-text"), Options{})
		if len(r.Links) != 1 || !r.Links[0].Mismatch || r.Links[0].Text != "https://bank.example/login" {
			t.Fatalf("links: got %+v, want one mismatched link", r.Links)
		}
		if !strings.Contains(r.HTML, `title="http://canary.tidings.test/`) {
			t.Errorf("the link's title is not its real address: %s", r.HTML)
		}
	})
	t.Run("escaped script stays text", func(t *testing.T) {
		r := Sanitize(read(t, "html-entities-script"), Options{})
		if !strings.Contains(r.HTML, "&lt;script&gt;") {
			t.Errorf("got %s", r.HTML)
		}
	})
}

func TestBenignMailKeepsItsLook(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"bold and italics", `<p><b>Order</b> <i>shipped</i></p>`, `<p><b>Order</b> <i>shipped</i></p>`},
		{"table layout", `<table width="600" cellpadding="4" bgcolor="#ffffff"><tr><td align="center" style="color: #333333; font-size: 14px">Hi</td></tr></table>`,
			`<table width="600" cellpadding="4" bgcolor="#ffffff"><tr><td align="center" style="color: #333333; font-size: 14px">Hi</td></tr></table>`},
		{"link opens outside with its address as title", `<a href="https://shop.example/o/1">Track</a>`,
			`<a href="https://shop.example/o/1" rel="nofollow noreferrer noopener" target="_blank" title="https://shop.example/o/1">Track</a>`},
		{"mailto link", `<a href="mailto:hi@shop.example">mail us</a>`, `<a href="mailto:hi@shop.example" rel="nofollow noreferrer" title="mailto:hi@shop.example">mail us</a>`},
		{"inline data image kept", `<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">`, `<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">`},
		{"cid image marked for the window", `<img src="cid:logo@shop" alt="logo">`, `<img alt="logo" data-cid="logo@shop" class="tidings-inline">`},
		{"unknown style property dropped, known kept", `<p style="color: red; position: absolute; float: left">x</p>`, `<p style="color: red">x</p>`},
		{"lists", `<ul><li>one</li><li>two</li></ul>`, `<ul><li>one</li><li>two</li></ul>`},
		{"font tag", `<font color="#ff0000" face="Arial">red</font>`, `<font color="#ff0000" face="Arial">red</font>`},
		{"head and title dropped", `<html><head><title>Newsletter</title></head><body><p>x</p></body></html>`, `<p>x</p>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Sanitize(tc.in, Options{}).HTML
			if strings.TrimSpace(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestInlineImageResolved(t *testing.T) {
	in := `<img src="cid:logo@shop" alt="logo"><img src="cid:evil@x">`
	r := Sanitize(in, Options{Inline: map[string]string{
		"logo@shop": "data:image/png;base64,iVBORw0KGgo=",
		"evil@x":    "data:text/html;base64,PHNjcmlwdD4=",
	}})
	want := `<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo"><img data-cid="evil@x" class="tidings-inline">`
	if r.HTML != want {
		t.Errorf("got  %s\nwant %s", r.HTML, want)
	}
	checkSafe(t, r.HTML, false)
}

func TestMismatch(t *testing.T) {
	cases := []struct {
		text, href string
		want       bool
	}{
		{"https://bank.example/login", "http://evil.example/login", true},
		{"bank.example", "https://www.bank.example/", false},
		{"www.bank.example", "https://login.bank.example/x", false},
		{"Click here", "http://evil.example/", false},
		{"shop.example", "https://shop.example.evil.example/", true},
	}
	for _, tc := range cases {
		if got := mismatch(tc.text, tc.href); got != tc.want {
			t.Errorf("mismatch(%q, %q): got %v, want %v", tc.text, tc.href, got, tc.want)
		}
	}
}

func TestTruncatesHugeInput(t *testing.T) {
	r := Sanitize(strings.Repeat("<p>x</p>", MaxInput/8+10), Options{})
	if !r.Truncated {
		t.Error("got Truncated false for an input over MaxInput")
	}
}
