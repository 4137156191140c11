package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/channels/emailconn"
	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

// pickedFiles stands in for the native file chooser.
type pickedFiles struct {
	paths []string
	err   error
	asked int
}

func (p *pickedFiles) OpenFiles(context.Context, string) ([]string, error) {
	p.asked++
	return p.paths, p.err
}

func TestDraftFilesSurviveAndKeepLimits(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	dir := t.TempDir()
	ws, err := workspace.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	a := New(ws, &recorder{})
	mail, conv := emailConversation(t, a)
	key := conv + ":reply"

	files := t.TempDir()
	invoice := bytes.Repeat([]byte("%PDF-1.4 invoice "), 1000)
	os.WriteFile(filepath.Join(files, "invoice.pdf"), invoice, 0o600)
	os.WriteFile(filepath.Join(files, "notes.txt"), []byte("frame size 54"), 0o600)
	big := filepath.Join(files, "video.mp4")
	f, _ := os.Create(big)
	f.Truncate(emailconn.MaxUploadSize + 1) // sparse: the size is what counts
	f.Close()

	picker := &pickedFiles{paths: []string{filepath.Join(files, "invoice.pdf"), filepath.Join(files, "notes.txt")}}
	a.files = picker
	got, err := a.PickDraftFiles(key, mail.ID, "Attach files")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "invoice.pdf" || got[0].ContentType != "application/pdf" || got[0].Size != int64(len(invoice)) || got[1].ContentType != "text/plain" {
		t.Fatalf("picked: got %+v", got)
	}
	// Dropped in the window: the bytes come from the frontend.
	drop, err := a.AddDraftFile(key, mail.ID, NewDraftFile{Name: `C:\Users\sam\photo.png`, ContentType: "image/png", Data: []byte("\x89PNG fake")})
	if err != nil || drop.Name != "photo.png" || drop.Size != 9 {
		t.Fatalf("dropped: got %+v, %v", drop, err)
	}

	// Too large: refused with sizes and nothing attached, from either way in.
	picker.paths = []string{filepath.Join(files, "notes.txt"), big}
	if _, err := a.PickDraftFiles(key, mail.ID, "Attach files"); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "video.mp4 is 25 MB; email accepts files up to 25 MB") {
		t.Errorf("too large picked: got %v", err)
	}
	if _, err := a.AddDraftFile(key, mail.ID, NewDraftFile{Name: "empty.txt"}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("empty file: got %v, want ErrInvalid", err)
	}
	// Together over the email limit.
	half := make([]byte, emailconn.MaxUploadSize/2)
	if _, err := a.AddDraftFile("other", mail.ID, NewDraftFile{Name: "a.bin", Data: half}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddDraftFile("other", mail.ID, NewDraftFile{Name: "b.bin", Data: append(half, 1, 2)}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "in all") {
		t.Errorf("over the total: got %v", err)
	}
	picker.paths, picker.err = nil, nil
	if got, err := a.PickDraftFiles(key, mail.ID, "Attach files"); err != nil || len(got) != 0 {
		t.Errorf("cancelled chooser: got %v, %v", got, err)
	}
	// A bot whose token is missing cannot carry files.
	tg := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot"}
	a.ws.Store.CreateAccount(context.Background(), &tg)
	if _, err := a.AddDraftFile("bot", tg.ID, NewDraftFile{Name: "x.txt", Data: []byte("x")}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("bot without token: got %v, want ErrInvalid", err)
	}

	// A crash: the files are still with the draft after reopening.
	ws.Close()
	ws, err = workspace.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	a = New(ws, &recorder{})
	list, err := a.DraftFiles(key)
	if err != nil || len(list) != 3 || list[0].Name != "invoice.pdf" || list[2].Name != "photo.png" {
		t.Fatalf("after reopening: got %+v, %v", list, err)
	}
	if err := a.RemoveDraftFile(list[1].ID); err != nil {
		t.Fatal(err)
	}
	if list, _ = a.DraftFiles(key); len(list) != 2 {
		t.Errorf("after removing one: got %d files, want 2", len(list))
	}
	// The reply moves to another channel: its files come along.
	if moved, err := a.MoveDraftFiles(key, "cv_other:reply"); err != nil || len(moved) != 2 {
		t.Fatalf("moved: got %+v, %v", moved, err)
	}
	if list, _ = a.DraftFiles(key); len(list) != 0 {
		t.Errorf("after moving: %d files left behind", len(list))
	}
	key = "cv_other:reply"
	if err := a.DeleteDraft(key); err != nil {
		t.Fatal(err)
	}
	if list, _ = a.DraftFiles(key); len(list) != 0 {
		t.Errorf("after discarding the draft: got %d files, want none", len(list))
	}
}
