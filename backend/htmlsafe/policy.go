package htmlsafe

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/microcosm-cc/bluemonday/css"
)

// styleProperties are the only CSS properties kept in style attributes.
// Nothing here can fetch (no background, no list-style-image, no content) or
// place content outside the message (no position, no z-index).
var styleProperties = []string{
	"color", "background-color",
	"font-family", "font-size", "font-style", "font-weight", "font-variant",
	"text-align", "text-decoration", "text-indent", "text-transform", "letter-spacing", "word-spacing",
	"line-height", "white-space", "word-break", "overflow-wrap", "word-wrap", "vertical-align", "direction",
	"margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
	"padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
	"border", "border-top", "border-right", "border-bottom", "border-left",
	"border-color", "border-style", "border-width", "border-collapse", "border-spacing", "border-radius",
	"width", "min-width", "max-width", "height", "min-height", "max-height",
	"display", "list-style-type", "table-layout", "caption-side", "empty-cells", "opacity",
}

// unsafeCSS matches what may never appear in a kept style value, whatever the
// property's own rules say: anything that fetches or runs, and CSS escapes
// and comments that could hide it.
var unsafeCSS = regexp.MustCompile(`(?i)url\s*\(|image-set|image\s*\(|expression|javascript|vbscript|@import|behavior|binding|\\|/\*|\*/|<|>`)

func safeStyle(prop string) func(string) bool {
	def := css.GetDefaultHandler(prop)
	return func(v string) bool {
		if unsafeCSS.MatchString(v) {
			return false
		}
		return def(v)
	}
}

// newPolicy builds the strict email policy. Policies are safe for concurrent
// use once built.
func newPolicy() *bluemonday.Policy {
	// Compiled here, once, when the first mail is sanitized: compiled at
	// package init they cost every command ~13 ms of CPU at start-up
	// (fontFace and plainText repeat large classes hundreds of times).
	var (
		htmlLength  = regexp.MustCompile(`^\s*[0-9]{1,4}(\.[0-9]{1,2})?%?\s*$`)
		htmlColor   = regexp.MustCompile(`^\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})\s*$`)
		htmlAlign   = regexp.MustCompile(`(?i)^\s*(left|right|center|justify|top|middle|bottom|baseline|char)\s*$`)
		fontFace    = regexp.MustCompile(`^[\p{L}\p{N} ,'"-]{1,200}$`)
		plainText   = regexp.MustCompile(`^[^<>]{0,500}$`)
		smallNumber = regexp.MustCompile(`^\s*[0-9]{1,3}\s*$`)
		fontSize    = regexp.MustCompile(`^\s*[+-]?[1-7]\s*$`)
		dirValue    = regexp.MustCompile(`(?i)^\s*(ltr|rtl|auto)\s*$`)
		langValue   = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
	)
	p := bluemonday.NewPolicy()

	p.AllowElements(
		"p", "br", "div", "span", "hr", "center", "blockquote", "pre", "code", "kbd", "samp", "tt",
		"b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "small", "big", "sub", "sup", "mark", "abbr", "cite", "q",
		"h1", "h2", "h3", "h4", "h5", "h6", "address", "article", "section", "header", "footer", "main", "aside", "nav",
		"figure", "figcaption", "wbr",
	)
	p.AllowLists()
	p.AllowTables()

	// Presentational attributes mail still uses.
	p.AllowAttrs("align").Matching(htmlAlign).OnElements("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "img", "hr", "caption", "col", "colgroup")
	p.AllowAttrs("valign").Matching(htmlAlign).OnElements("tr", "td", "th", "thead", "tbody", "tfoot", "col", "colgroup")
	p.AllowAttrs("width", "height").Matching(htmlLength).OnElements("table", "td", "th", "col", "colgroup", "img", "hr")
	p.AllowAttrs("bgcolor").Matching(htmlColor).OnElements("table", "tr", "td", "th")
	p.AllowAttrs("border", "cellpadding", "cellspacing").Matching(smallNumber).OnElements("table", "img")
	p.AllowAttrs("colspan", "rowspan").Matching(smallNumber).OnElements("td", "th")
	p.AllowAttrs("nowrap").Matching(regexp.MustCompile(`^(?i:nowrap)?$`)).OnElements("td", "th")
	p.AllowAttrs("dir").Matching(dirValue).Globally()
	p.AllowAttrs("lang").Matching(langValue).Globally()
	p.AllowAttrs("title").Matching(plainText).Globally()
	p.AllowElements("font")
	p.AllowAttrs("color").Matching(htmlColor).OnElements("font")
	p.AllowAttrs("face").Matching(fontFace).OnElements("font")
	p.AllowAttrs("size").Matching(fontSize).OnElements("font")

	for _, prop := range styleProperties {
		p.AllowStyles(prop).MatchingHandler(safeStyle(prop)).Globally()
	}

	// Links: only http, https and mailto, absolute, opened outside.
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("name").Matching(regexp.MustCompile(`^[\w.-]{1,100}$`)).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	p.RequireNoReferrerOnLinks(true)
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)

	// Images: the source is checked again after this policy (see
	// images.go): remote ones become placeholders unless allowed, data:
	// only for raster images, cid: resolved by the window.
	p.AllowAttrs("src").OnElements("img")
	p.AllowAttrs("alt").Matching(plainText).OnElements("img")
	p.AllowURLSchemeWithCustomPolicy("data", func(u *url.URL) bool { return isDataImage("data:" + u.Opaque) })
	p.AllowURLSchemeWithCustomPolicy("cid", func(u *url.URL) bool { return u.Opaque != "" })

	// Drop these with everything inside them.
	p.SkipElementsContent("script", "style", "title", "head", "noscript", "template", "object", "embed", "applet",
		"iframe", "frame", "frameset", "noframes", "svg", "math", "select", "textarea", "option", "xmp", "noembed", "plaintext")
	p.AddSpaceWhenStrippingTag(true)
	return p
}

// isDataImage reports whether u is a data: URL of a raster image.
func isDataImage(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	for _, t := range []string{"data:image/png;", "data:image/gif;", "data:image/jpeg;", "data:image/jpg;", "data:image/webp;"} {
		if strings.HasPrefix(u, t) {
			return true
		}
	}
	return false
}
