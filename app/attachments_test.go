package app

import (
	"os"
	"path/filepath"
	"testing"

	"tidings/backend/workspace"
)

func TestSaveAttachment(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	var attID, attName string
	list, _ := a.Conversations(workspace.ListOptions{Status: "all"})
	for _, c := range list {
		th, _ := a.Thread(c.ID)
		for _, m := range th.Messages {
			for _, at := range m.Attachments {
				attID, attName = at.ID, at.Name
			}
		}
	}
	if attID == "" {
		t.Fatal("the demo has no attachment")
	}
	p1, err := a.SaveAttachment(attID)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := a.SaveAttachment(attID)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p1) != filepath.Join(home, "Downloads") || filepath.Base(p1) != attName || p1 == p2 {
		t.Errorf("saved to %s then %s, want %s in ~/Downloads and then a new name", p1, p2, attName)
	}
	b, _ := os.ReadFile(p1)
	if len(b) == 0 {
		t.Error("the saved file is empty")
	}
}

func TestSafeFileName(t *testing.T) {
	cases := map[string]string{
		"invoice.pdf":     "invoice.pdf",
		"../../.bashrc":   "_.._.bashrc",
		".hidden":         "hidden",
		"a/b\\c:d.txt":    "a_b_c_d.txt",
		"":                "attachment",
		"line\nbreak.txt": "line_break.txt",
		"   ...   ":       "attachment",
	}
	for in, want := range cases {
		if got := safeFileName(in); got != want {
			t.Errorf("safeFileName(%q): got %q, want %q", in, got, want)
		}
	}
}
