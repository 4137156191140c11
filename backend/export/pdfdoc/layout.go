package pdfdoc

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Page geometry in points (1/72 inch): A4 with 50 pt margins.
const (
	PageWidth  = 595.28
	PageHeight = 841.89
	Margin     = 50.0
	footerY    = 28.0
)

// Style is how a paragraph is set.
type Style struct {
	Size       float64 // font size in points
	Bold       bool
	Gray       float64 // 0 is black, 1 white
	Indent     float64 // left indent in points
	SpaceAfter float64
}

type page struct {
	content bytes.Buffer
	images  []int
}

// Doc is a document being laid out, top to bottom.
type Doc struct {
	Title    string
	Producer string

	fonts    *FontSet
	g        *glyphs
	pages    []*page
	y        float64
	missing  map[string]bool
	unshaped map[string]bool
	images   []*pdfImage
	err      error
}

// New starts an empty document that takes its glyphs from fonts.
func New(fonts *FontSet, title string) *Doc {
	return &Doc{Title: title, fonts: fonts, g: newGlyphs(), missing: map[string]bool{}, unshaped: map[string]bool{}}
}

// Missing lists the scripts that no installed font could draw; their text
// was replaced by a note.
func (d *Doc) Missing() []string {
	var out []string
	for s := range d.missing {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Unshaped lists the scripts left out because they need text shaping
// (joining, reordering) that this package does not do.
func (d *Doc) Unshaped() []string {
	var out []string
	for s := range d.unshaped {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// needsShaping reports whether r belongs to a script whose letters change
// shape or order with their neighbours.
func needsShaping(r rune) bool {
	return r >= 0x0590 && unicode.In(r, unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Thaana, unicode.Devanagari,
		unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada,
		unicode.Malayalam, unicode.Sinhala, unicode.Myanmar, unicode.Khmer, unicode.Tibetan, unicode.Mongolian, unicode.Hebrew)
}

// Pages returns the number of pages so far.
func (d *Doc) Pages() int { return len(d.pages) }

func (d *Doc) cur() *page {
	if len(d.pages) == 0 {
		d.NewPage()
	}
	return d.pages[len(d.pages)-1]
}

// NewPage starts a new page.
func (d *Doc) NewPage() {
	d.pages = append(d.pages, &page{})
	d.y = PageHeight - Margin
}

// need starts a new page unless h points are left on this one.
func (d *Doc) need(h float64) {
	if len(d.pages) == 0 || d.y-h < Margin {
		d.NewPage()
	}
}

// Space moves down by h points.
func (d *Doc) Space(h float64) {
	d.cur()
	d.y -= h
}

// Rule draws a thin line across the text width.
func (d *Doc) Rule(gray float64) {
	d.need(6)
	p := d.cur()
	fmt.Fprintf(&p.content, "%s G 0.6 w %s %s m %s %s l S\n", num(gray), num(Margin), num(d.y-3), num(PageWidth-Margin), num(d.y-3))
	d.y -= 6
}

// item is one glyph placed in a line.
type item struct {
	ref   glyphRef
	w     float64 // advance at the style's size
	space bool
	// breakBefore allows a line break before this glyph (after spaces and
	// around ideographs).
	breakBefore bool
	gray        float64
}

// Paragraph sets text in the style, wrapping lines at the text width and
// at every line end in the text, across pages as needed.
func (d *Doc) Paragraph(text string, st Style) {
	if d.err != nil {
		return
	}
	if st.Size == 0 {
		st.Size = 10
	}
	maxW := PageWidth - 2*Margin - st.Indent
	lineH := st.Size * 1.45
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, para := range strings.Split(text, "\n") {
		items := d.shape(para, st)
		lines := wrap(items, maxW)
		if len(lines) == 0 {
			d.need(lineH)
			d.y -= lineH
			continue
		}
		for _, l := range lines {
			d.need(lineH)
			d.y -= st.Size * 1.1
			d.drawLine(l, Margin+st.Indent, d.y, st)
			d.y -= lineH - st.Size*1.1
		}
	}
	d.y -= st.SpaceAfter
}

// Err returns the first error met while laying out.
func (d *Doc) Err() error { return d.err }

// shape turns text into glyphs, choosing for every character the first
// installed font that has it. Runs no font covers become a note naming
// their script.
func (d *Doc) shape(text string, st Style) []item {
	var out []item
	runes := []rune(text)
	prevWide := false
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r == '\t' {
			r = ' '
		}
		if unicode.IsControl(r) || r == '\ufeff' || unicode.Is(unicode.Mn, r) && len(out) == 0 {
			continue
		}
		if needsShaping(r) {
			// Letters that join or reorder (Arabic, Indic scripts) would
			// print wrong without a shaping engine: say so instead.
			j := i
			for j+1 < len(runes) && (needsShaping(runes[j+1]) || unicode.IsSpace(runes[j+1]) && j+2 < len(runes) && needsShaping(runes[j+2])) {
				j++
			}
			script := ScriptName(r)
			d.unshaped[script] = true
			note := d.shape("["+script+" text: this PDF cannot lay it out; the HTML export shows it]", Style{Size: st.Size})
			for k := range note {
				note[k].gray = 0.45
			}
			if len(note) > 0 {
				note[0].breakBefore = true
			}
			out = append(out, note...)
			i = j
			prevWide = false
			continue
		}
		fc, gi := d.fonts.faceFor(r, st.Bold)
		if fc == nil {
			if unicode.In(r, unicode.Variation_Selector, unicode.Join_Control) || r == '\u200b' {
				continue
			}
			// Collect the run of characters no font draws, spaces included.
			j := i
			for j+1 < len(runes) {
				if f, _ := d.fonts.faceFor(runes[j+1], st.Bold); f == nil {
					j++
					continue
				}
				if unicode.IsSpace(runes[j+1]) && j+2 < len(runes) {
					if f, _ := d.fonts.faceFor(runes[j+2], st.Bold); f == nil {
						j += 2
						continue
					}
				}
				break
			}
			if f, _ := d.fonts.faceFor('A', false); f == nil {
				d.err = errNoFonts
				return nil
			}
			var scripts []string
			for _, c := range runes[i : j+1] {
				if unicode.IsSpace(c) {
					continue
				}
				if s := ScriptName(c); !d.missing[s] || !contains(scripts, s) {
					d.missing[s] = true
					if !contains(scripts, s) {
						scripts = append(scripts, s)
					}
				}
			}
			note := d.shape("["+strings.Join(scripts, ", ")+" text: no installed font can show it]", Style{Size: st.Size, Bold: false})
			for k := range note {
				note[k].gray = 0.45
			}
			if len(note) > 0 {
				note[0].breakBefore = true
			}
			out = append(out, note...)
			i = j
			prevWide = false
			continue
		}
		ref, err := d.g.ref(fc, gi, r)
		if err != nil {
			d.err = err
			return nil
		}
		it := item{ref: ref, w: ref.width * st.Size / 1000, space: unicode.IsSpace(r), gray: st.Gray}
		wide := isWide(r)
		if len(out) > 0 {
			prev := out[len(out)-1]
			it.breakBefore = prev.space && !it.space || (wide || prevWide) && !noBreakBefore(r)
		}
		prevWide = wide
		out = append(out, it)
	}
	return out
}

// isWide reports whether r is from a script written without spaces, where
// a line may break between any two characters.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// noBreakBefore lists closing punctuation that must not start a line.
func noBreakBefore(r rune) bool {
	return strings.ContainsRune("、。，．！？）」』】〉》・ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.!?:;)]}", r)
}

// wrap breaks items into lines no wider than maxW.
func wrap(items []item, maxW float64) [][]item {
	var lines [][]item
	var line []item
	var lineW float64
	flush := func() {
		for len(line) > 0 && line[len(line)-1].space {
			line = line[:len(line)-1]
		}
		lines = append(lines, line)
		line, lineW = nil, 0
	}
	for i := 0; i < len(items); {
		// The next word: items up to the next break opportunity.
		j := i + 1
		for j < len(items) && !items[j].breakBefore {
			j++
		}
		word := items[i:j]
		var ww, trail float64
		for _, it := range word {
			ww += it.w
			if it.space {
				trail += it.w
			} else {
				trail = 0
			}
		}
		switch {
		case lineW+ww-trail <= maxW:
			line = append(line, word...)
			lineW += ww
		case len(line) > 0 && ww-trail <= maxW:
			flush()
			for len(word) > 0 && word[0].space {
				ww -= word[0].w
				word = word[1:]
			}
			line = append(line, word...)
			lineW = ww
		default:
			// A word wider than the line: break it between characters.
			for _, it := range word {
				if lineW+it.w > maxW && len(line) > 0 {
					flush()
				}
				if len(line) == 0 && it.space {
					continue
				}
				line = append(line, it)
				lineW += it.w
			}
		}
		i = j
	}
	if len(line) > 0 {
		flush()
	}
	return lines
}

// drawLine writes one line of glyphs at x, y (the baseline).
func (d *Doc) drawLine(l []item, x, y float64, st Style) {
	p := d.cur()
	b := &p.content
	fmt.Fprintf(b, "BT\n%s %s Td\n", num(x), num(y))
	font, gray := -1, -1.0
	open := false
	for _, it := range l {
		if it.gray != gray || it.ref.font != font {
			if open {
				b.WriteString("> Tj\n")
				open = false
			}
			if it.gray != gray {
				fmt.Fprintf(b, "%s g\n", num(it.gray))
				gray = it.gray
			}
			if it.ref.font != font {
				fmt.Fprintf(b, "/T%d %s Tf\n", it.ref.font, num(st.Size))
				font = it.ref.font
			}
		}
		if !open {
			b.WriteByte('<')
			open = true
		}
		fmt.Fprintf(b, "%02X", it.ref.code)
	}
	if open {
		b.WriteString("> Tj\n")
	}
	b.WriteString("ET\n")
}

// textWidth measures text in a style.
func (d *Doc) textWidth(text string, st Style) float64 {
	var w float64
	for _, it := range d.shape(text, st) {
		w += it.w
	}
	return w
}

// addFooters writes "title · page i of n" at the foot of every page.
func (d *Doc) addFooters() {
	st := Style{Size: 8, Gray: 0.4}
	n := len(d.pages)
	for i, p := range d.pages {
		label := fmt.Sprintf("Page %d of %d", i+1, n)
		items := d.shape(label, st)
		x := PageWidth - Margin - d.textWidth(label, st)
		saved := d.pages
		d.pages = []*page{p}
		d.drawLine(items, x, footerY, st)
		if d.Title != "" {
			t := d.shape(d.Title, st)
			if lines := wrap(t, PageWidth-2*Margin-120); len(lines) > 0 {
				d.drawLine(lines[0], Margin, footerY, st)
			}
		}
		d.pages = saved
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
