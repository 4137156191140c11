package pdfdoc

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is needed (apt-get install poppler-utils)", name)
		}
		t.Skipf("%s not installed (apt-get install poppler-utils)", name)
	}
	return p
}

func needFont(t *testing.T, name string) string {
	t.Helper()
	fs := NewFontSet()
	fs.scan()
	if p := fs.find(name); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("font %s is needed (apt-get install fonts-noto-core fonts-noto-cjk)", name)
	}
	t.Skipf("font %s not installed (apt-get install fonts-noto-core fonts-noto-cjk)", name)
	return ""
}

const multiScript = "English, Русский текст, Ελληνικά, 日本語のテキスト, 中文文本, 한국어 텍스트."

func render(t *testing.T, d *Doc) (pdf []byte, text string) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "x.pdf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	out, err := exec.Command(needTool(t, "pdftotext"), "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	out2, err := exec.Command(needTool(t, "pdftoppm"), "-r", "30", "-png", path, filepath.Join(dir, "p")).CombinedOutput()
	if err != nil || len(out2) > 0 {
		t.Fatalf("pdftoppm: %v\n%s", err, out2)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(pngs) != d.Pages() {
		t.Fatalf("pdftoppm rendered %d pages, want %d", len(pngs), d.Pages())
	}
	return buf.Bytes(), string(out)
}

func TestEveryInstalledScript(t *testing.T) {
	needFont(t, "NotoSans-Regular.ttf")
	needFont(t, "NotoSansCJK-Regular.ttc")
	d := New(NewFontSet(), "Scripts")
	d.Paragraph("Heading in bold: Заголовок 見出し", Style{Size: 16, Bold: true, SpaceAfter: 6})
	for i := 0; i < 60; i++ {
		d.Paragraph(multiScript, Style{Size: 11})
	}
	if got := d.Missing(); len(got) != 0 {
		t.Errorf("missing scripts with every font installed: %v", got)
	}
	_, text := render(t, d)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Русский текст", "Ελληνικά", "日本語のテキスト", "中文文本", "한국어 텍스트", "Page 1 of 2", "Page 2 of 2", "Заголовок 見出し"} {
		if !strings.Contains(flat, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
}

func TestScriptWithoutFontIsNamed(t *testing.T) {
	latin := needFont(t, "NotoSans-Regular.ttf")
	dir := t.TempDir()
	os.Symlink(latin, filepath.Join(dir, "NotoSans-Regular.ttf"))
	d := New(NewFontSet(dir), "Only Latin")
	d.Paragraph("Hello. 日本語のテキスト. Привет.", Style{Size: 11})
	got := d.Missing()
	if strings.Join(got, " ") != "Han Hiragana Katakana" {
		t.Errorf("got missing %v, want [Han Hiragana Katakana]", got)
	}
	_, text := render(t, d)
	flat := strings.Join(strings.Fields(text), " ")
	if !strings.Contains(flat, "[Han, Hiragana, Katakana text: no installed font can show it]") || !strings.Contains(flat, "Привет") {
		t.Errorf("pdftotext: got %q", flat)
	}
}

func TestNoFonts(t *testing.T) {
	d := New(NewFontSet(t.TempDir()), "x")
	d.Paragraph("hello", Style{})
	if _, err := d.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("a document without any font was written")
	}
}

func TestWrap(t *testing.T) {
	mk := func(s string) []item {
		var out []item
		for i, r := range s {
			it := item{w: 1, space: r == ' '}
			if i > 0 {
				it.breakBefore = s[i-1] == ' ' && r != ' '
			}
			out = append(out, it)
		}
		return out
	}
	for _, c := range []struct {
		in    string
		width float64
		want  []int
	}{
		{"aaa bbb ccc", 7, []int{3 + 1 + 3, 3}},
		{"aaaaaaaaaa", 4, []int{4, 4, 2}},
		{"a b", 10, []int{3}},
	} {
		lines := wrap(mk(c.in), c.width)
		var got []int
		for _, l := range lines {
			got = append(got, len(l))
		}
		if len(got) != len(c.want) {
			t.Errorf("%q at %v: got lines %v, want %v", c.in, c.width, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q at %v: got lines %v, want %v", c.in, c.width, got, c.want)
			}
		}
	}
}

func TestShapedScriptsAreNamed(t *testing.T) {
	needFont(t, "NotoSans-Regular.ttf")
	d := New(NewFontSet(), "Shaping")
	d.Paragraph("Order 12: مرحبا بكم and नमस्ते दुनिया, thanks.", Style{Size: 11})
	if got := strings.Join(d.Unshaped(), " "); got != "Arabic Devanagari" {
		t.Errorf("got unshaped %q, want Arabic Devanagari", got)
	}
	_, text := render(t, d)
	flat := strings.Join(strings.Fields(text), " ")
	if !strings.Contains(flat, "[Arabic text: this PDF cannot lay it out; the HTML export shows it] and [Devanagari text") {
		t.Errorf("pdftotext: got %q", flat)
	}
}
