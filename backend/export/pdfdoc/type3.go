package pdfdoc

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// glyphsPerFont is how many glyphs one Type 3 font holds (codes 1-255).
const glyphsPerFont = 255

// glyphRef is where a glyph lives in the document: a Type 3 font and a code.
type glyphRef struct {
	font  int // index into doc.t3
	code  byte
	width float64 // advance in 1/1000 em
}

type glyphKey struct {
	face int
	gi   sfnt.GlyphIndex
}

// type3Font is one Type 3 font being filled with glyphs of one face.
type type3Font struct {
	face    *face
	procs   [][]byte // drawing procedure per code-1
	widths  []float64
	unicode []rune
}

// glyphs maps the document's glyphs to Type 3 fonts.
type glyphs struct {
	refs map[glyphKey]glyphRef
	t3   []*type3Font
	open map[int]int // face key -> index of its Type 3 font with room
}

func newGlyphs() *glyphs {
	return &glyphs{refs: map[glyphKey]glyphRef{}, open: map[int]int{}}
}

// ref returns the glyph's place, adding it (with its outline) if new.
func (g *glyphs) ref(fc *face, gi sfnt.GlyphIndex, r rune) (glyphRef, error) {
	k := glyphKey{fc.key, gi}
	if ref, ok := g.refs[k]; ok {
		return ref, nil
	}
	proc, width, err := fc.outline(gi)
	if err != nil {
		return glyphRef{}, err
	}
	idx, ok := g.open[fc.key]
	if !ok || len(g.t3[idx].procs) >= glyphsPerFont {
		g.t3 = append(g.t3, &type3Font{face: fc})
		idx = len(g.t3) - 1
		g.open[fc.key] = idx
	}
	t := g.t3[idx]
	t.procs = append(t.procs, proc)
	t.widths = append(t.widths, width)
	t.unicode = append(t.unicode, r)
	ref := glyphRef{font: idx, code: byte(len(t.procs)), width: width}
	g.refs[k] = ref
	return ref, nil
}

// outline turns a glyph into a Type 3 glyph procedure in a 1000-unit em
// (y up) and returns it with the glyph's advance.
func (fc *face) outline(gi sfnt.GlyphIndex) ([]byte, float64, error) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	ppem := fixed.I(1000)
	adv, err := fc.font.GlyphAdvance(&fc.buf, gi, ppem, font.HintingNone)
	if err != nil {
		return nil, 0, fmt.Errorf("pdfdoc: glyph %d of %s: %w", gi, fc.name, err)
	}
	segs, err := fc.font.LoadGlyph(&fc.buf, gi, ppem, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("pdfdoc: glyph %d of %s: %w", gi, fc.name, err)
	}
	w := float64(adv) / 64
	var b bytes.Buffer
	b.WriteString(num(w))
	b.WriteString(" 0 d0\n")
	pt := func(p fixed.Point26_6) {
		b.WriteString(num(float64(p.X) / 64))
		b.WriteByte(' ')
		b.WriteString(num(-float64(p.Y) / 64))
		b.WriteByte(' ')
	}
	var cur fixed.Point26_6
	open := false
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if open {
				b.WriteString("h\n")
			}
			pt(s.Args[0])
			b.WriteString("m\n")
			cur, open = s.Args[0], true
		case sfnt.SegmentOpLineTo:
			pt(s.Args[0])
			b.WriteString("l\n")
			cur = s.Args[0]
		case sfnt.SegmentOpQuadTo:
			// A quadratic Bézier as a cubic: control points 2/3 of the way
			// from each end to the quadratic's control point.
			q, e := s.Args[0], s.Args[1]
			c1 := fixed.Point26_6{X: cur.X + (q.X-cur.X)*2/3, Y: cur.Y + (q.Y-cur.Y)*2/3}
			c2 := fixed.Point26_6{X: e.X + (q.X-e.X)*2/3, Y: e.Y + (q.Y-e.Y)*2/3}
			pt(c1)
			pt(c2)
			pt(e)
			b.WriteString("c\n")
			cur = e
		case sfnt.SegmentOpCubeTo:
			pt(s.Args[0])
			pt(s.Args[1])
			pt(s.Args[2])
			b.WriteString("c\n")
			cur = s.Args[2]
		}
	}
	if open {
		b.WriteString("h\nf\n")
	}
	return b.Bytes(), w, nil
}

// toUnicode is the CMap (section 9.10.3) that maps a Type 3 font's codes
// back to text.
func (t *type3Font) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
	b.WriteString("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n")
	for start := 0; start < len(t.unicode); start += 100 {
		end := min(start+100, len(t.unicode))
		fmt.Fprintf(&b, "%d beginbfchar\n", end-start)
		for i := start; i < end; i++ {
			fmt.Fprintf(&b, "<%02X> <", i+1)
			for _, u := range utf16.Encode([]rune{t.unicode[i]}) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// num formats a number for a content stream, compactly.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	for len(s) > 1 && (s[len(s)-1] == '0') && bytes.ContainsRune([]byte(s), '.') {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	if s == "-0" {
		s = "0"
	}
	return s
}
