// Package pdfdoc writes simple flowing documents (headings, paragraphs,
// images, page numbers) as PDF 1.7 (ISO 32000-1) in pure Go, with text in
// any script that a font installed on the system covers.
//
// Glyphs come from the system's TrueType and OpenType (CFF) fonts, read with
// golang.org/x/image/font/sfnt, and are embedded as Type 3 fonts (section
// 9.6.5): each glyph's outline becomes a small drawing procedure. Type 3
// needs no font subsetting or CFF support, so a document carries only the
// glyphs it uses, in whatever outline format the font has; a ToUnicode map
// (section 9.10.3) keeps the text searchable and extractable. Text that no
// installed font covers is not drawn as empty boxes: it is replaced by a
// short note naming the script, and the document reports it.
//
// There is no text shaping and no bidirectional reordering, so scripts whose
// letters join or reorder (Arabic, Hebrew, the Indic scripts, ...) would
// print wrong: their text is replaced by a note naming the script as well
// (Doc.Unshaped), rather than printed garbled.
package pdfdoc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// DefaultFontDirs are where fonts live on Linux, macOS and Windows.
func DefaultFontDirs() []string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return []string{"/System/Library/Fonts", "/Library/Fonts", filepath.Join(home, "Library/Fonts")}
	case "windows":
		return []string{filepath.Join(os.Getenv("WINDIR"), "Fonts"), filepath.Join(os.Getenv("LOCALAPPDATA"), "Microsoft", "Windows", "Fonts")}
	}
	return []string{"/usr/share/fonts", "/usr/local/share/fonts", filepath.Join(home, ".local/share/fonts"), filepath.Join(home, ".fonts")}
}

// preferred fonts come first, in this order, for regular and bold text;
// every other font found is a fallback.
var preferred = map[bool][]string{
	false: {"NotoSans-Regular.ttf", "NotoSansCJK-Regular.ttc", "DejaVuSans.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc", "msgothic.ttc"},
	true:  {"NotoSans-Bold.ttf", "NotoSansCJK-Bold.ttc", "DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"},
}

// face is one font of a font file.
type face struct {
	path  string
	name  string
	font  *sfnt.Font
	buf   sfnt.Buffer
	mu    sync.Mutex
	key   int // index in the document's face list
	upem  fixed.Int26_6
	empty map[sfnt.GlyphIndex]bool
}

// FontSet finds, for any character, a system font that can draw it.
type FontSet struct {
	dirs []string

	mu       sync.Mutex
	files    []string // every font file found, preferred first
	scanned  bool
	loaded   map[string][]*face // by path
	chains   map[bool][]*face   // faces tried in order, per weight
	next     map[bool]int       // next file to load into each chain
	byRune   map[runeKey]*face
	faceList []*face
}

type runeKey struct {
	r    rune
	bold bool
}

// NewFontSet looks for fonts in dirs (DefaultFontDirs if none).
func NewFontSet(dirs ...string) *FontSet {
	if len(dirs) == 0 {
		dirs = DefaultFontDirs()
	}
	return &FontSet{dirs: dirs, loaded: map[string][]*face{}, chains: map[bool][]*face{}, next: map[bool]int{}, byRune: map[runeKey]*face{}}
}

var errNoFonts = errors.New("pdfdoc: no fonts found")

func (fs *FontSet) scan() {
	if fs.scanned {
		return
	}
	fs.scanned = true
	var all []string
	for _, d := range fs.dirs {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".ttf", ".otf", ".ttc", ".otc":
				all = append(all, p)
			}
			return nil
		})
	}
	rank := func(p string) int {
		base := filepath.Base(p)
		for _, bold := range []bool{false, true} {
			for i, n := range preferred[bold] {
				if base == n {
					return i
				}
			}
		}
		name := strings.ToLower(base)
		switch {
		case strings.Contains(name, "sans") && strings.Contains(name, "regular") && !strings.Contains(name, "mono"):
			return 100
		case strings.Contains(name, "regular"):
			return 200
		case strings.Contains(name, "bold") || strings.Contains(name, "italic"):
			return 400
		}
		return 300
	}
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := rank(all[i]), rank(all[j])
		if ri != rj {
			return ri < rj
		}
		return all[i] < all[j]
	})
	fs.files = all
}

// load parses a font file (all fonts of a collection).
func (fs *FontSet) load(path string) []*face {
	if f, ok := fs.loaded[path]; ok {
		return f
	}
	var out []*face
	data, err := os.ReadFile(path)
	if err == nil {
		if c, err := sfnt.ParseCollection(data); err == nil {
			n := c.NumFonts()
			if n > 1 {
				n = 1 // the first of a collection (e.g. Noto CJK JP) covers the script
			}
			for i := 0; i < n; i++ {
				if f, err := c.Font(i); err == nil {
					out = append(out, fs.newFace(path, f))
				}
			}
		}
	}
	fs.loaded[path] = out
	return out
}

func (fs *FontSet) newFace(path string, f *sfnt.Font) *face {
	fc := &face{path: path, font: f, upem: fixed.I(int(f.UnitsPerEm())), empty: map[sfnt.GlyphIndex]bool{}}
	fc.name, _ = f.Name(&fc.buf, sfnt.NameIDFull)
	if fc.name == "" {
		fc.name = filepath.Base(path)
	}
	fc.key = len(fs.faceList)
	fs.faceList = append(fs.faceList, fc)
	return fc
}

// covers reports whether the face has a drawable glyph for r.
func (fc *face) covers(r rune) (sfnt.GlyphIndex, bool) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	gi, err := fc.font.GlyphIndex(&fc.buf, r)
	if err != nil || gi == 0 {
		return 0, false
	}
	if unicode.IsSpace(r) {
		return gi, true
	}
	segs, err := fc.font.LoadGlyph(&fc.buf, gi, fc.upem, nil)
	if err != nil || len(segs) == 0 {
		return 0, false // a bitmap-only font (colour emoji) or a blank glyph
	}
	return gi, true
}

// faceFor returns the first font that can draw r, or nil.
func (fs *FontSet) faceFor(r rune, bold bool) (*face, sfnt.GlyphIndex) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	k := runeKey{r, bold}
	if fc, ok := fs.byRune[k]; ok {
		if fc == nil {
			return nil, 0
		}
		gi, _ := fc.covers(r)
		return fc, gi
	}
	fs.scan()
	chain := fs.chains[bold]
	for _, fc := range chain {
		if gi, ok := fc.covers(r); ok {
			fs.byRune[k] = fc
			return fc, gi
		}
	}
	// Load more fonts: the preferred ones of this weight first, then the rest.
	for fs.next[bold] < len(fs.files)+len(preferred[bold]) {
		i := fs.next[bold]
		fs.next[bold]++
		var path string
		if i < len(preferred[bold]) {
			path = fs.find(preferred[bold][i])
		} else {
			path = fs.files[i-len(preferred[bold])]
		}
		if path == "" {
			continue
		}
		for _, fc := range fs.load(path) {
			if inChain(fs.chains[bold], fc) {
				continue
			}
			fs.chains[bold] = append(fs.chains[bold], fc)
			if gi, ok := fc.covers(r); ok {
				fs.byRune[k] = fc
				return fc, gi
			}
		}
	}
	if bold {
		// No bold font covers it: fall back to a regular one.
		fs.mu.Unlock()
		fc, gi := fs.faceFor(r, false)
		fs.mu.Lock()
		fs.byRune[k] = fc
		return fc, gi
	}
	fs.byRune[k] = nil
	return nil, 0
}

func inChain(chain []*face, fc *face) bool {
	for _, c := range chain {
		if c == fc {
			return true
		}
	}
	return false
}

func (fs *FontSet) find(base string) string {
	for _, p := range fs.files {
		if filepath.Base(p) == base {
			return p
		}
	}
	return ""
}

// ScriptName names the Unicode script of r, for "no installed font covers
// X" notes.
func ScriptName(r rune) string {
	for name, tab := range unicode.Scripts {
		if name == "Common" || name == "Inherited" {
			continue
		}
		if unicode.Is(tab, r) {
			return name
		}
	}
	if unicode.IsSymbol(r) {
		return fmt.Sprintf("symbols and emoji (U+%04X)", r)
	}
	return fmt.Sprintf("characters like U+%04X", r)
}
