package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"tidings/backend/channels/emailconn"
	"tidings/backend/channels/telegram"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/workspace"
)

// sparseFile makes a file of size bytes that takes no room on disk.
func sparseFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// TestAddDraftFilePaths attaches files dropped in the native window by
// their paths: Go reads them, each channel's limits hold (a file email
// refuses goes by Telegram), all or nothing, and a path that is no
// readable file says why.
func TestAddDraftFilePaths(t *testing.T) {
	// No session bus: secrets (the bot's token) live in the data folder.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	a := New(ws, &recorder{})
	mail, conv := emailConversation(t, a)
	key := conv + ":reply"
	cfg, _ := json.Marshal(telegram.Config{APIURL: "http://127.0.0.1:1", BotUsername: "shop_bot"})
	bot := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Address: "@shop_bot", Config: cfg}
	if err := ws.Store.CreateAccount(ctx, &bot); err != nil {
		t.Fatal(err)
	}
	if err := secrets.Open(dir, nil).Set(telegram.TokenKey(bot.ID), "123456789:AAHpaths"); err != nil {
		t.Fatal(err)
	}

	files := t.TempDir()
	invoice := bytes.Repeat([]byte("%PDF-1.4 invoice "), 1000)
	os.WriteFile(filepath.Join(files, "invoice.pdf"), invoice, 0o600)
	os.WriteFile(filepath.Join(files, "notes.txt"), []byte("frame size 54"), 0o600)
	got, err := a.AddDraftFilePaths(key, mail.ID, []string{filepath.Join(files, "invoice.pdf"), filepath.Join(files, "notes.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "invoice.pdf" || got[0].ContentType != "application/pdf" || got[0].Size != int64(len(invoice)) || got[1].ContentType != "text/plain" {
		t.Fatalf("dropped by path: got %+v", got)
	}
	k, _ := draftKey(key)
	stored, err := ws.Store.DraftAttachments(ctx, k, true)
	if err != nil || len(stored) != 2 || !bytes.Equal(stored[0].Data, invoice) {
		t.Fatalf("stored: got %d files, %v; want the invoice's bytes", len(stored), err)
	}

	// Per channel: 30 MB is over email's limit and within Telegram's.
	video := sparseFile(t, filepath.Join(files, "video.mp4"), 30<<20)
	if _, err := a.AddDraftFilePaths(key, mail.ID, []string{video}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "video.mp4 is 30 MB; email accepts files up to 25 MB") {
		t.Errorf("30 MB by email: got %v", err)
	}
	if got, err := a.AddDraftFilePaths("bot:reply", bot.ID, []string{video}); err != nil || len(got) != 1 || got[0].Size != 30<<20 {
		t.Errorf("30 MB by Telegram: got %+v, %v", got, err)
	}
	huge := sparseFile(t, filepath.Join(files, "huge.mov"), telegram.MaxUploadSize+1)
	if _, err := a.AddDraftFilePaths("bot:reply2", bot.ID, []string{huge}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "telegram accepts files up to 50 MB") {
		t.Errorf("over 50 MB by Telegram: got %v", err)
	}

	// Each fits an email, together they do not: nothing stays attached.
	half1 := sparseFile(t, filepath.Join(files, "part1.bin"), emailconn.MaxUploadSize/2)
	half2 := sparseFile(t, filepath.Join(files, "part2.bin"), emailconn.MaxUploadSize/2+10)
	if _, err := a.AddDraftFilePaths("two", mail.ID, []string{half1, half2}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "in all") {
		t.Errorf("two halves over the total: got %v", err)
	}
	if list, _ := a.DraftFiles("two"); len(list) != 0 {
		t.Errorf("after a refused drop: %d files stay attached, want none", len(list))
	}

	// Paths that are no readable file, each with its reason; nothing is attached.
	fifo := filepath.Join(files, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
		is               error
	}{
		{"missing", filepath.Join(files, "gone.pdf"), "cannot read " + filepath.Join(files, "gone.pdf"), fs.ErrNotExist},
		{"folder", files, "is a folder; attach the files inside it", inbox.ErrInvalid},
		{"pipe", fifo, "is not a file", inbox.ErrInvalid},
		{"relative", "notes.txt", "is not a full path", inbox.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := a.AddDraftFilePaths("bad", mail.ID, []string{filepath.Join(files, "notes.txt"), c.path})
			if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(files, "locked.txt")
		os.WriteFile(locked, []byte("secret"), 0o000)
		if _, err := a.AddDraftFilePaths("bad", mail.ID, []string{locked}); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("unreadable: got %v, want permission denied", err)
		}
	}
	if list, _ := a.DraftFiles("bad"); len(list) != 0 {
		t.Errorf("after bad paths: %d files attached, want none", len(list))
	}
	// A bot with no token cannot carry files at all.
	bare := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Other bot", Config: cfg}
	ws.Store.CreateAccount(ctx, &bare)
	if _, err := a.AddDraftFilePaths("bare", bare.ID, []string{filepath.Join(files, "notes.txt")}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "cannot carry files") {
		t.Errorf("bot without token: got %v", err)
	}
}
