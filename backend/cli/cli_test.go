package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"tidings/backend/inbox"
)

type result struct {
	code           int
	stdout, stderr string
}

func tid(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errb, nil)
	return result{code, out.String(), errb.String()}
}

func keys(m map[string]any) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

func hasKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: missing key %q (got %v)", what, k, keys(m))
		}
	}
}

func TestDemoThenConversationsJSON(t *testing.T) {
	dir := t.TempDir()
	r := tid(t, "", "--data", dir, "demo")
	if r.code != 0 || !strings.Contains(r.stdout, "22 conversations") {
		t.Fatalf("demo: got %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = tid(t, "", "--data", dir, "conversations", "--json")
	if r.code != 0 {
		t.Fatalf("conversations: exit %d: %s", r.code, r.stderr)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("conversations --json is not JSON: %v", err)
	}
	if len(list) < 20 {
		t.Fatalf("demo conversations: got %d, want at least 20", len(list))
	}
	hasKeys(t, "conversation", list[0], "id", "subject", "status", "channel", "contact", "message_count", "last_message_at", "labels")
	contact := list[0]["contact"].(map[string]any)
	hasKeys(t, "contact", contact, "id", "name", "identities")
	ident := contact["identities"].([]any)[0].(map[string]any)
	hasKeys(t, "identity", ident, "channel", "address")
	channels := map[string]bool{}
	for _, c := range list {
		channels[c["channel"].(string)] = true
	}
	if !channels["email"] || !channels["telegram"] {
		t.Errorf("demo channels: got %v, want email and telegram", channels)
	}

	// --limit and --status filter.
	r = tid(t, "", "--data", dir, "conversations", "--json", "--status", "closed", "--limit", "3")
	var closed []map[string]any
	json.Unmarshal([]byte(r.stdout), &closed)
	if len(closed) != 3 {
		t.Fatalf("closed with limit 3: got %d", len(closed))
	}
	for _, c := range closed {
		if c["status"] != "closed" {
			t.Errorf("status filter: got %v", c["status"])
		}
	}

	// show ID --json, flags after the ID.
	var withAttachment string
	for _, c := range list {
		if strings.Contains(c["subject"].(string), "Warranty") {
			withAttachment = c["id"].(string)
		}
	}
	r = tid(t, "", "--data", dir, "show", withAttachment, "--json")
	if r.code != 0 {
		t.Fatalf("show: exit %d: %s", r.code, r.stderr)
	}
	var thread map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &thread); err != nil {
		t.Fatal(err)
	}
	hasKeys(t, "thread", thread, "id", "subject", "status", "contact", "messages")
	msg := thread["messages"].([]any)[0].(map[string]any)
	hasKeys(t, "message", msg, "id", "direction", "from", "to", "date", "subject", "text", "message_id", "auto", "attachments")
	att := msg["attachments"].([]any)
	if len(att) != 1 {
		t.Fatalf("attachments: got %v", att)
	}
	hasKeys(t, "attachment", att[0].(map[string]any), "name", "size", "content_type")
	if msg["direction"] != "in" || !strings.HasSuffix(msg["date"].(string), "Z") {
		t.Errorf("message: got direction %v date %v", msg["direction"], msg["date"])
	}

	// Human output names the customer.
	r = tid(t, "", "--data", dir, "show", withAttachment)
	if r.code != 0 || !strings.Contains(r.stdout, "Bob Jones") || !strings.Contains(r.stdout, "rim-photo.jpg") {
		t.Fatalf("show (text): got %d %q", r.code, r.stdout)
	}

	// A second demo is refused and changes nothing.
	r = tid(t, "", "--data", dir, "demo")
	if r.code != 1 || !strings.Contains(r.stderr, "already holds the demo") {
		t.Fatalf("second demo: got %d %q", r.code, r.stderr)
	}
	r = tid(t, "", "--data", dir, "conversations", "--json")
	var again []map[string]any
	json.Unmarshal([]byte(r.stdout), &again)
	if len(again) != len(list) {
		t.Fatalf("after refused demo: got %d conversations, want %d", len(again), len(list))
	}
}

func TestAccountListJSON(t *testing.T) {
	dir := t.TempDir()
	r := tid(t, "", "--data", dir, "account", "list", "--json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("empty account list: got %d %q %q", r.code, r.stdout, r.stderr)
	}
	tid(t, "", "--data", dir, "demo")
	r = tid(t, "", "--data", dir, "account", "list", "--json")
	var accs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &accs); err != nil || len(accs) != 2 {
		t.Fatalf("demo accounts: got %q, %v", r.stdout, err)
	}
	hasKeys(t, "account", accs[0], "id", "name", "channel", "address", "last_sync_at", "last_error")
}

func TestBadInputIsOneLineAndNonZero(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	corruptDir := filepath.Join(dir, "corrupt")
	os.MkdirAll(corruptDir, 0o700)
	junk := []byte(strings.Repeat("garbage ", 512))
	os.WriteFile(filepath.Join(corruptDir, "tidings.db"), junk, 0o600)
	foreignDir := t.TempDir()

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"--data", dir, "frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown global flag", []string{"--colour", "conversations"}, 2, "unknown flag --colour"},
		{"unknown command flag", []string{"--data", dir, "conversations", "--sort", "x"}, 2, "flag provided but not defined: -sort"},
		{"missing --data value", []string{"--data"}, 2, "--data needs a directory"},
		{"bad status", []string{"--data", dir, "conversations", "--status", "done"}, 1, `unknown status "done"`},
		{"negative limit", []string{"--data", dir, "conversations", "--limit", "-1"}, 2, "--limit must be 0 or more"},
		{"missing conversation", []string{"--data", dir, "show", "cv_nope"}, 1, "cv_nope: not found"},
		{"show without ID", []string{"--data", dir, "show"}, 2, "missing argument"},
		{"show with two IDs", []string{"--data", dir, "show", "a", "b"}, 2, `unexpected argument "b"`},
		{"data dir is a file", []string{"--data", file, "conversations"}, 1, "is a file, not a folder"},
		{"data dir not writable", []string{"--data", "/proc/tidings-test", "conversations"}, 1, "cannot create data directory"},
		{"corrupt store", []string{"--data", corruptDir, "conversations"}, 1, "not a database or is damaged"},
		{"account without subcommand", []string{"--data", foreignDir, "account"}, 2, "say 'list', 'folders' or 'add'"},
		{"account add unknown channel", []string{"--data", dir, "account", "add", "fax"}, 2, `unknown channel "fax"`},
		{"account add bad security", []string{"--data", dir, "account", "add", "email", "--name", "n", "--address", "a@b.c", "--imap", "h:993", "--smtp", "h:587", "--security", "ssl"}, 2, "--security must be tls, starttls or none"},
		{"account add bad port", []string{"--data", dir, "account", "add", "email", "--name", "n", "--address", "a@b.c", "--imap", "h:99999", "--smtp", "h:587"}, 2, `--imap port "99999"`},
		{"account add bad address", []string{"--data", dir, "account", "add", "email", "--name", "n", "--address", "nope", "--imap", "h:993", "--smtp", "h:587"}, 2, "is not an email address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tid(t, "", tc.args...)
			if r.code != tc.code {
				t.Errorf("exit code: got %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			first := strings.SplitN(r.stderr, "\n", 2)[0]
			if !strings.HasPrefix(first, "tidings: ") || !strings.Contains(first, tc.want) {
				t.Errorf("error line: got %q, want it to contain %q", first, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout on error: got %q, want nothing", r.stdout)
			}
		})
	}
	if got, _ := os.ReadFile(filepath.Join(corruptDir, "tidings.db")); !bytes.Equal(got, junk) {
		t.Error("a failed command changed the corrupt store file")
	}
}

func TestVersionAndHelp(t *testing.T) {
	r := tid(t, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "tidings ") {
		t.Fatalf("--version: got %d %q", r.code, r.stdout)
	}
	r = tid(t, "", "--help")
	for _, c := range []string{"account", "sync", "conversations", "show", "search", "reply", "export", "import", "backup", "restore", "demo"} {
		if !strings.Contains(r.stdout, "  "+c+" ") {
			t.Errorf("--help does not list %q", c)
		}
	}
	r = tid(t, "", "help", "show")
	if r.code != 0 || !strings.Contains(r.stdout, "usage: tidings [--data DIR] show ID") {
		t.Errorf("help show: got %q", r.stdout)
	}
	r = tid(t, "", "--data", t.TempDir(), "conversations", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "-status") {
		t.Errorf("conversations --help: got %d %q", r.code, r.stdout)
	}
}

func TestNoCommandOpensWindow(t *testing.T) {
	var got string
	var out, errb bytes.Buffer
	dir := t.TempDir()
	code := Run(context.Background(), []string{"--data", dir}, nil, &out, &errb, func(d string) error { got = d; return nil })
	if code != 0 || got != dir {
		t.Fatalf("window: got code %d dir %q, want 0 and %q", code, got, dir)
	}
	t.Setenv("TIDINGS_DATA", dir+"/env")
	code = Run(context.Background(), nil, nil, &out, &errb, func(d string) error { got = d; return nil })
	if code != 0 || got != dir+"/env" {
		t.Fatalf("TIDINGS_DATA: got %q, want %q", got, dir+"/env")
	}
}

func TestIsCommand(t *testing.T) {
	cases := map[string]bool{
		"": false, "demo": true, "--data": true, "--data=/x": true, "--help": true, "--version": true,
		"-devserver": false, "-assetdir": false, "frobnicate": true,
	}
	for a, want := range cases {
		var args []string
		if a != "" {
			args = []string{a}
		}
		if got := IsCommand(args); got != want {
			t.Errorf("IsCommand(%q): got %v, want %v", a, got, want)
		}
	}
}

func TestReadPasswordLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"secret\n", "secret"},
		{"secret\r\n", "secret"},
		{"secret", "secret"},
		{"with space \nsecond line\n", "with space "},
	}
	for _, tc := range cases {
		got, err := readPasswordLine(strings.NewReader(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("readPasswordLine(%q): got %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := readPasswordLine(strings.NewReader("\n")); err == nil {
		t.Error("empty password: got no error")
	}
}

func TestNotAvailableExitsTwo(t *testing.T) {
	register(&Command{Name: "later", Summary: "test only", Run: func(env *Env, args []string) error {
		return fmt.Errorf("later is %w in this build", inbox.ErrNotAvailable)
	}})
	defer delete(commands, "later")
	r := tid(t, "", "--data", t.TempDir(), "later")
	if r.code != 2 || r.stderr != "tidings: later is not available yet in this build\n" {
		t.Fatalf("not available: got %d %q", r.code, r.stderr)
	}
}
