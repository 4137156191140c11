package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

type mapSecrets map[string]string

func (m mapSecrets) Get(id string) (string, error) {
	if v, ok := m[id]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no secret: %w", inbox.ErrNotFound)
}
func (m mapSecrets) Set(id, v string) error { m[id] = v; return nil }
func (m mapSecrets) Delete(id string) error { delete(m, id); return nil }

func TestAccountAddTelegram(t *testing.T) {
	const token = "123456789:AAHfakeTOKENforCLItests"
	srv := fakebot.New(token)
	defer srv.Close()
	sec := mapSecrets{}
	old := secretStore
	secretStore = func(*Env) (channels.Secrets, error) { return sec, nil }
	defer func() { secretStore = old }()
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"no name", token + "\n", []string{"account", "add", "telegram", "--token-stdin"}, ExitUsage, "--name is required"},
		{"token on the command line", "", []string{"account", "add", "telegram", "--name", "Bot"}, ExitUsage, "--token-stdin"},
		{"mistyped token", "12345\n", []string{"account", "add", "telegram", "--name", "Bot", "--token-stdin", "--api-url", srv.URL}, ExitError, "@BotFather"},
		{"revoked token", "123456789:AArevoked\n", []string{"account", "add", "telegram", "--name", "Bot", "--token-stdin", "--api-url", srv.URL}, ExitError, "401 Unauthorized"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(c.stdin, c.args...)
			if code != c.code || !strings.Contains(stderr, c.stderr) {
				t.Errorf("exit %d, stderr %q; want %d mentioning %q", code, stderr, c.code, c.stderr)
			}
			if strings.Contains(stderr, "AArevoked") {
				t.Error("the token was printed")
			}
		})
	}
	code, out, stderr := run(token+"\r\n", "account", "add", "telegram", "--name", "Shop bot", "--token-stdin", "--api-url", srv.URL, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct{ ID, Address string }
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Address != "@shop_bot" {
		t.Fatalf("output %q: %v", out, err)
	}
	if sec[telegram.TokenKey(got.ID)] != token {
		t.Errorf("kept token %q, want the one given", sec[telegram.TokenKey(got.ID)])
	}
	code, out, _ = run("", "account", "list", "--json")
	if code != 0 || !strings.Contains(out, `"channel": "telegram"`) || strings.Contains(out, token) {
		t.Errorf("account list: %d %s", code, out)
	}
	if code, _, stderr := run(token+"\n", "account", "add", "telegram", "--name", "Shop bot", "--token-stdin", "--api-url", srv.URL); code != ExitError || !strings.Contains(stderr, "already exists") {
		t.Errorf("duplicate name: exit %d, %q", code, stderr)
	}
}

// TestTelegramThroughCLI adds a bot with its token kept by the real secret
// store (file fallback), syncs it once and lists the conversation.
func TestTelegramThroughCLI(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no keyring here: the 0600 file
	const token = "123456789:AAHcliEndToEnd"
	srv := fakebot.New(token)
	defer srv.Close()
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	if code, out, stderr := run(token+"\n", "account", "add", "telegram", "--name", "Shop bot", "--token-stdin", "--api-url", srv.URL); code != 0 {
		t.Fatalf("account add: exit %d: %s %s", code, out, stderr)
	}
	// Ana wrote by email before (the email engineer's ingest makes such
	// contacts; here it is made directly in the store).
	st, err := store.Open(context.Background(), store.Path(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	byEmail := inbox.Contact{Name: "Ana Lima", Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: "ana@example.com"}}}
	if err := st.CreateContact(context.Background(), &byEmail); err != nil {
		t.Fatal(err)
	}
	st.Close()
	srv.Text(fakebot.User{ID: 4242, FirstName: "Ana"}, "Olá! Is the blue teapot back in stock? I'm ana@example.com")
	code, out, stderr := run("", "sync", "--once", "--json")
	if code != 0 || !strings.Contains(out, `"stored": 1`) {
		t.Fatalf("sync --once: exit %d: %s %s", code, out, stderr)
	}
	code, out, _ = run("", "conversations", "--json")
	if code != 0 || !strings.Contains(out, `"channel": "telegram"`) || !strings.Contains(out, "blue teapot") {
		t.Errorf("conversations: exit %d: %s", code, out)
	}
	code, out, _ = run("", "merge", "--json")
	var sugs []struct{ ID, Reason string }
	if err := json.Unmarshal([]byte(out), &sugs); code != 0 || err != nil || len(sugs) != 1 || sugs[0].Reason != "claimed" {
		t.Fatalf("merge --json: exit %d, %v: %s", code, err, out)
	}
	code, out, stderr = run("", "merge", "accept", sugs[0].ID, "--keep", byEmail.ID)
	if code != 0 || !strings.Contains(out, "tidings merge undo mrg_") {
		t.Fatalf("merge accept: exit %d: %s %s", code, out, stderr)
	}
	mergeID := strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
	if code, out, _ := run("", "merge"); code != 0 || !strings.Contains(out, "No merge suggestions") {
		t.Errorf("after accepting: exit %d: %s", code, out)
	}
	if code, out, stderr := run("", "merge", "undo", mergeID); code != 0 || !strings.Contains(out, "separate again") {
		t.Errorf("merge undo: exit %d: %s %s", code, out, stderr)
	}
	if code, _, stderr := run("", "merge", "undo", mergeID); code != ExitError || !strings.Contains(stderr, "already undone") {
		t.Errorf("second undo: exit %d: %s", code, stderr)
	}
	preview := filepath.Join(t.TempDir(), "preview.html")
	code, out, _ = run("", "snippet", "--preview", preview)
	if code != 0 || !strings.Contains(out, `href="https://t.me/shop_bot"`) {
		t.Errorf("snippet: exit %d: %s", code, out)
	}
	if b, err := os.ReadFile(preview); err != nil || !strings.Contains(string(b), "<!DOCTYPE html>") {
		t.Errorf("preview file: %v", err)
	}
	if code, _, stderr := run("", "snippet", "--telegram", "not_a_b0t"); code != ExitUsage || !strings.Contains(stderr, "bot username") {
		t.Errorf("bad bot: exit %d: %s", code, stderr)
	}
	// A revoked token: sync says what to do, exits 1.
	srv.SetToken("123456789:AAHnew")
	code, out, stderr = run("", "sync", "--once")
	if code != ExitError || !strings.Contains(out+stderr, "@BotFather") || strings.Contains(out+stderr, token) {
		t.Errorf("sync with a revoked token: exit %d: %s %s", code, out, stderr)
	}
}
