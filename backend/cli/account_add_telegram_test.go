package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
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
