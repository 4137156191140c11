package export

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func tool(t *testing.T, name string) string {
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

func TestPDFReadByPoppler(t *testing.T) {
	st, ids := fixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "t.pdf")
	res, err := Export(ctx, st, Options{Format: PDF, ConversationIDs: ids, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Messages != 3 {
		t.Errorf("got %d messages, want 3", res.Messages)
	}
	txt, err := exec.Command(tool(t, "pdftotext"), out, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, txt)
	}
	flat := strings.Join(strings.Fields(string(txt)), " ")
	for _, want := range []string{"Заказ № 42", "Здравствуйте!", "日本語のテキストも。", "한국어 텍스트", "Ελληνικά", "Фото рамы 写真", "Page 1 of", "Attachment: frame photo.jpg"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings with every font installed: %v", res.Warnings)
	}
	msg, err := exec.Command(tool(t, "pdftoppm"), "-r", "40", "-png", out, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil || len(msg) != 0 {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) < 2 {
		t.Errorf("pdftoppm rendered %d pages, want one per conversation at least (2)", len(pages))
	}
}

func TestPDFNamesScriptWithoutFont(t *testing.T) {
	st, ids := fixture(t)
	fonts := t.TempDir()
	matches, _ := filepath.Glob("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
	if len(matches) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("NotoSans-Regular.ttf is needed (apt-get install fonts-noto-core)")
		}
		t.Skip("NotoSans-Regular.ttf not installed (fonts-noto-core)")
	}
	os.Symlink(matches[0], filepath.Join(fonts, "NotoSans-Regular.ttf"))
	out := filepath.Join(t.TempDir(), "t.pdf")
	res, err := Export(context.Background(), st, Options{Format: PDF, ConversationIDs: ids[:1], Out: out, FontDirs: []string{fonts}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "Han") || !strings.Contains(res.Warnings[0], "Hangul") {
		t.Errorf("got warnings %v, want one naming Han and Hangul", res.Warnings)
	}
	txt, _ := exec.Command(tool(t, "pdftotext"), out, "-").CombinedOutput()
	if !strings.Contains(strings.Join(strings.Fields(string(txt)), " "), "text: no installed font can show it]") {
		t.Errorf("PDF does not say which script is missing:\n%s", txt)
	}
}
