package pdfdoc

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for embedded images
	_ "image/jpeg"
	_ "image/png"
	"io"
	"strings"
	"time"
	"unicode/utf16"
)

// pdfImage is an image XObject.
type pdfImage struct {
	w, h   int
	filter string
	cs     string
	data   []byte
}

// Image places an image (JPEG, PNG or GIF) scaled to fit the text width and
// at most maxH points high. An image that cannot be decoded is skipped and
// reported as false.
func (d *Doc) Image(data []byte, indent, maxH float64) bool {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 || cfg.Width*cfg.Height > 40e6 {
		return false
	}
	img := &pdfImage{w: cfg.Width, h: cfg.Height}
	if format == "jpeg" && (cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel) {
		img.filter, img.data = "/DCTDecode", data
		img.cs = "/DeviceRGB"
		if cfg.ColorModel == color.GrayModel {
			img.cs = "/DeviceGray"
		}
	} else {
		m, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return false
		}
		rgb := make([]byte, 0, cfg.Width*cfg.Height*3)
		bnd := m.Bounds()
		for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
			for x := bnd.Min.X; x < bnd.Max.X; x++ {
				r, g, b, a := m.At(x, y).RGBA()
				// Composite on white.
				r, g, b = r+(0xffff-a), g+(0xffff-a), b+(0xffff-a)
				rgb = append(rgb, byte(r>>8), byte(g>>8), byte(b>>8))
			}
		}
		img.filter, img.cs, img.data = "/FlateDecode", "/DeviceRGB", deflate(rgb)
	}
	maxW := PageWidth - 2*Margin - indent
	w, h := float64(cfg.Width)*0.75, float64(cfg.Height)*0.75 // 96 dpi
	if w > maxW {
		w, h = maxW, h*maxW/w
	}
	if h > maxH {
		w, h = w*maxH/h, maxH
	}
	d.need(h + 4)
	d.images = append(d.images, img)
	p := d.cur()
	p.images = append(p.images, len(d.images)-1)
	d.y -= h + 2
	fmt.Fprintf(&p.content, "q %s 0 0 %s %s %s cm /I%d Do Q\n", num(w), num(h), num(Margin+indent), num(d.y), len(d.images)-1)
	d.y -= 2
	return true
}

func deflate(b []byte) []byte {
	var out bytes.Buffer
	w, _ := zlib.NewWriterLevel(&out, zlib.BestSpeed)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// pdfText encodes a string as a PDF text string (UTF-16BE with a BOM).
func pdfText(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// objWriter numbers objects and remembers their offsets for the xref table.
type objWriter struct {
	w       *bufio.Writer
	n       int64
	offsets []int64
	err     error
}

func (o *objWriter) write(s string) {
	if o.err != nil {
		return
	}
	n, err := o.w.WriteString(s)
	o.n += int64(n)
	o.err = err
}

func (o *objWriter) writeBytes(b []byte) {
	if o.err != nil {
		return
	}
	n, err := o.w.Write(b)
	o.n += int64(n)
	o.err = err
}

// obj writes object number id (1-based) with a dictionary body.
func (o *objWriter) obj(id int, body string) {
	o.offsets[id-1] = o.n
	o.write(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", id, body))
}

// stream writes object id as a stream with extra dictionary entries.
func (o *objWriter) stream(id int, dict string, data []byte) {
	o.offsets[id-1] = o.n
	o.write(fmt.Sprintf("%d 0 obj\n<< %s /Length %d >>\nstream\n", id, dict, len(data)))
	o.writeBytes(data)
	o.write("\nendstream\nendobj\n")
}

// WriteTo finishes the document (page numbers in every footer) and writes
// it as PDF.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	if d.err != nil {
		return 0, d.err
	}
	if len(d.pages) == 0 {
		d.NewPage()
	}
	d.addFooters()
	if d.err != nil {
		return 0, d.err
	}
	// Object numbers: 1 catalog, 2 page tree, 3 info, then per Type 3 font
	// (font, widths-free ToUnicode, one per glyph), images, pages.
	next := 4
	alloc := func() int { next++; return next - 1 }
	type t3ids struct {
		font, cmap int
		procs      []int
	}
	fonts := make([]t3ids, len(d.g.t3))
	for i, t := range d.g.t3 {
		fonts[i].font, fonts[i].cmap = alloc(), alloc()
		for range t.procs {
			fonts[i].procs = append(fonts[i].procs, alloc())
		}
	}
	imgIDs := make([]int, len(d.images))
	for i := range d.images {
		imgIDs[i] = alloc()
	}
	pageIDs := make([]int, len(d.pages))
	contentIDs := make([]int, len(d.pages))
	for i := range d.pages {
		pageIDs[i], contentIDs[i] = alloc(), alloc()
	}
	ow := &objWriter{w: bufio.NewWriterSize(w, 64<<10), offsets: make([]int64, next-1)}
	ow.write("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	ow.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	var kids strings.Builder
	for _, id := range pageIDs {
		fmt.Fprintf(&kids, "%d 0 R ", id)
	}
	ow.obj(2, fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", len(pageIDs), kids.String()))
	producer := d.Producer
	if producer == "" {
		producer = "Tidings"
	}
	ow.obj(3, fmt.Sprintf("<< /Title %s /Producer %s /CreationDate (D:%s) >>", pdfText(d.Title), pdfText(producer), time.Now().UTC().Format("20060102150405Z")))
	var fontRes strings.Builder
	for i, t := range d.g.t3 {
		ids := fonts[i]
		var procs, diffs, widths strings.Builder
		for c := range t.procs {
			fmt.Fprintf(&procs, "/g%d %d 0 R ", c+1, ids.procs[c])
			fmt.Fprintf(&diffs, "/g%d ", c+1)
			widths.WriteString(num(t.widths[c]) + " ")
		}
		ow.obj(ids.font, fmt.Sprintf("<< /Type /Font /Subtype /Type3 /Name /T%d /FontBBox [0 0 0 0] /FontMatrix [0.001 0 0 0.001 0 0] "+
			"/CharProcs << %s>> /Encoding << /Type /Encoding /Differences [1 %s] >> /FirstChar 1 /LastChar %d /Widths [%s] "+
			"/ToUnicode %d 0 R /Resources << >> >>", i, procs.String(), diffs.String(), len(t.procs), widths.String(), ids.cmap))
		ow.stream(ids.cmap, "/Filter /FlateDecode", deflate(t.toUnicode()))
		for c, proc := range t.procs {
			ow.stream(ids.procs[c], "", proc)
		}
		fmt.Fprintf(&fontRes, "/T%d %d 0 R ", i, ids.font)
	}
	for i, img := range d.images {
		ow.stream(imgIDs[i], fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter %s",
			img.w, img.h, img.cs, img.filter), img.data)
	}
	for i, p := range d.pages {
		var xobj strings.Builder
		for _, im := range p.images {
			fmt.Fprintf(&xobj, "/I%d %d 0 R ", im, imgIDs[im])
		}
		ow.obj(pageIDs[i], fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R /Resources << /Font << %s>> /XObject << %s>> >> >>",
			num(PageWidth), num(PageHeight), contentIDs[i], fontRes.String(), xobj.String()))
		ow.stream(contentIDs[i], "/Filter /FlateDecode", deflate(p.content.Bytes()))
	}
	xref := ow.n
	ow.write(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", next))
	for _, off := range ow.offsets {
		ow.write(fmt.Sprintf("%010d 00000 n \n", off))
	}
	ow.write(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n", next, xref))
	if ow.err != nil {
		return ow.n, ow.err
	}
	return ow.n, ow.w.Flush()
}
