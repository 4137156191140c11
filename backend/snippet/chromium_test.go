package snippet

import (
	"context"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestPreviewRendersInChromium renders the preview page in a real headless
// Chromium and checks that the buttons are painted in the chosen colour.
func TestPreviewRendersInChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is needed under CI (apt-get install chromium)")
		}
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	s, err := Generate(Options{Telegram: "shop_bot", Email: "hello@shop.example", Color: "#e11d48"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "preview.html")
	if err := os.WriteFile(page, []byte(s.Preview), 0o600); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--window-size=480,360", "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Count pixels of the button colour (#e11d48 = 225, 29, 72); two
	// buttons of about 20 rem² each cover thousands of pixels.
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, 225) && near(g>>8, 29) && near(bl>>8, 72) {
				n++
			}
		}
	}
	if n < 5000 {
		t.Errorf("%d pixels in the button colour, want at least 5000: the buttons did not render", n)
	}
}

func near(v uint32, want int) bool { d := int(v) - want; return d > -6 && d < 6 }
