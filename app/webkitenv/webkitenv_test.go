package webkitenv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRenderNode(t *testing.T) {
	dir := t.TempDir()
	if got := renderNode(dir); got != NoRenderNode {
		t.Fatalf("no nodes: got %q, want %q", got, NoRenderNode)
	}
	for _, n := range []string{"card0", "renderD129", "renderD128"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := renderNode(dir), filepath.Join(dir, "renderD128"); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestApplyKeepsTheUsersSettings(t *testing.T) {
	// t.Setenv restores the variables afterwards; unset them for the test.
	for _, s := range Settings("/dev/dri") {
		t.Setenv(s.Name, "")
		os.Unsetenv(s.Name)
	}
	// The user asked for WebKit's DMA-BUF renderer, and set GDK_GL empty.
	t.Setenv("WEBKIT_DISABLE_DMABUF_RENDERER", "0")
	t.Setenv("GDK_GL", "")
	set := Apply()
	if len(set) != 1 || set[0].Name != "WEBKIT_WEB_RENDER_DEVICE_FILE" {
		t.Fatalf("set %v, want only WEBKIT_WEB_RENDER_DEVICE_FILE", set)
	}
	if got := os.Getenv("WEBKIT_DISABLE_DMABUF_RENDERER"); got != "0" {
		t.Fatalf("WEBKIT_DISABLE_DMABUF_RENDERER = %q, want the user's 0", got)
	}
	if got, ok := os.LookupEnv("GDK_GL"); !ok || got != "" {
		t.Fatalf("GDK_GL = %q (set %v), want the user's empty value", got, ok)
	}
	if got := os.Getenv("WEBKIT_WEB_RENDER_DEVICE_FILE"); got == "" {
		t.Fatal("WEBKIT_WEB_RENDER_DEVICE_FILE is empty: WebKit would open EGL to look it up")
	}
	// A second call sets nothing: everything is in the environment now.
	if again := Apply(); len(again) != 0 {
		t.Fatalf("second Apply set %v, want nothing", again)
	}
}

func TestApplySetsAllOnACleanEnvironment(t *testing.T) {
	for _, s := range Settings("/dev/dri") {
		t.Setenv(s.Name, "")
		os.Unsetenv(s.Name)
	}
	set := Apply()
	if len(set) != 3 {
		t.Fatalf("set %v, want all three", set)
	}
	for _, s := range set {
		if got := os.Getenv(s.Name); got != s.Value || got == "" {
			t.Fatalf("%s = %q, want %q", s.Name, got, s.Value)
		}
	}
	if got := os.Getenv("GDK_GL"); got != "disable" {
		t.Fatalf("GDK_GL = %q, want disable", got)
	}
}

func TestRestoreTakesBackOnlyWhatApplySet(t *testing.T) {
	for _, s := range Settings("/dev/dri") {
		t.Setenv(s.Name, "")
		os.Unsetenv(s.Name)
	}
	t.Setenv("GDK_GL", "always") // the user's own
	set := Apply()
	Restore(set)
	for _, s := range set {
		if v, ok := os.LookupEnv(s.Name); ok {
			t.Errorf("%s = %q after Restore, want it unset", s.Name, v)
		}
	}
	if got := os.Getenv("GDK_GL"); got != "always" {
		t.Errorf("GDK_GL = %q after Restore, want the user's always", got)
	}
}
