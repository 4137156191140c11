package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
)

const (
	mailUser = "owner@shop.example"
	// sentinel is a password no file, log or output may ever show.
	sentinel = "Sentinel-Pa55-7f3c9e1b"
)

// TestEmailEndToEnd connects an account against a real Dovecot and an
// in-process SMTP server, syncs, replies, syncs again, and then looks for
// the password in every file the run left behind.
func TestEmailEndToEnd(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no keyring here: the file fallback is used
	dove := dovetest.Start(t, map[string]string{mailUser: sentinel})
	smtpSrv := dovetest.StartSMTP(t, mailUser, sentinel)
	for _, m := range []string{
		"From: Ann <ann@example.com>\r\nTo: " + mailUser + "\r\nSubject: Wheel size?\r\nMessage-ID: <ann-1@example.com>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nWhich wheel fits my bike?\r\n",
		"From: Bob <bob@example.org>\r\nTo: " + mailUser + "\r\nSubject: Invoice\r\nMessage-ID: <bob-1@example.org>\r\nDate: Mon, 2 Mar 2026 11:00:00 +0000\r\n\r\nPlease send the invoice.\r\n",
	} {
		if err := dove.Save(mailUser, "INBOX", []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	var allOut strings.Builder
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		allOut.WriteString(out.String() + errb.String())
		return code, out.String(), errb.String()
	}
	add := []string{"account", "add", "email", "--name", "Shop", "--address", mailUser, "--imap", dove.Addr, "--smtp", smtpSrv.Addr, "--security", "none", "--password-stdin"}

	if code, _, stderr := run("wrong-password\n", add...); code != ExitError || !strings.Contains(stderr, "login rejected") {
		t.Fatalf("wrong password: exit %d %q, want 1 with 'login rejected'", code, stderr)
	}
	if code, _, stderr := run(sentinel+"\n", append(add[:len(add)-1:len(add)-1], "--imap", "127.0.0.1:1", "--password-stdin")...); code != ExitError || !strings.Contains(stderr, "refused") {
		t.Fatalf("closed port: exit %d %q, want 1 with 'refused'", code, stderr)
	}
	code, stdout, stderr := run(sentinel+"\n", add...)
	if code != ExitOK {
		t.Fatalf("account add: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "INBOX, Sent, Archive") || !strings.Contains(stderr, "readable only by you") {
		t.Errorf("account add: stdout %q stderr %q, want folders and the one-time keyring notice", stdout, stderr)
	}
	code, stdout, stderr = run("", "sync", "--once", "--json")
	if code != ExitOK {
		t.Fatalf("sync: exit %d: %s", code, stderr)
	}
	var res []syncResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || len(res) != 1 || res[0].Email.New() != 2 {
		t.Fatalf("sync --json: %v %s, want 2 new", err, stdout)
	}
	code, stdout, _ = run("", "conversations", "--json")
	var convs []struct {
		ID      string `json:"id"`
		Subject string `json:"subject"`
	}
	if err := json.Unmarshal([]byte(stdout), &convs); err != nil {
		t.Fatalf("conversations: %v %s", err, stdout)
	}
	var annConv string
	for _, c := range convs {
		if c.Subject == "Wheel size?" {
			annConv = c.ID
		}
	}
	if annConv == "" {
		t.Fatalf("no conversation for Ann in %s", stdout)
	}
	body := filepath.Join(t.TempDir(), "body.txt")
	os.WriteFile(body, []byte("Hi Ann,\n\nthe 28\" wheel fits.\n"), 0o644)
	chart := filepath.Join(t.TempDir(), "size-chart.txt")
	os.WriteFile(chart, []byte("28 inch: frames 52-60\n"), 0o644)
	code, stdout, stderr = run("", "reply", annConv, "--body-file", body, "--attach", chart, "--json")
	if code != ExitOK {
		t.Fatalf("reply: exit %d: %s", code, stderr)
	}
	var rr replyResult
	json.Unmarshal([]byte(stdout), &rr)
	if rr.State != "sent" || len(rr.To) != 1 || rr.To[0] != "ann@example.com" {
		t.Fatalf("reply: got %+v, want sent to ann@example.com", rr)
	}
	got := smtpSrv.Messages()
	if len(got) != 1 || !strings.Contains(string(got[0].Data), "In-Reply-To: <ann-1@example.com>") || got[0].To[0] != "ann@example.com" ||
		!strings.Contains(string(got[0].Data), "size-chart.txt") {
		t.Fatalf("smtp: got %d messages %q", len(got), got)
	}
	if out, err := dove.Doveadm(nil, "search", "-u", mailUser, "mailbox", "Sent", "header", "Message-ID", strings.Trim(rr.MessageID, "<>")); err != nil || strings.Count(string(out), "\n") != 1 {
		t.Errorf("Sent copy: %q %v, want exactly one", out, err)
	}
	code, stdout, stderr = run("", "sync", "--once", "--json")
	if code != ExitOK {
		t.Fatalf("second sync: exit %d: %s", code, stderr)
	}
	if len(smtpSrv.Messages()) != 1 {
		t.Errorf("the reply was sent %d times, want once", len(smtpSrv.Messages()))
	}
	code, stdout, _ = run("", "show", annConv, "--json")
	if strings.Count(stdout, rr.MessageID) != 1 || !strings.Contains(stdout, "the 28") {
		t.Errorf("conversation after sync: the reply shows %d times, want once:\n%s", strings.Count(stdout, rr.MessageID), stdout)
	}

	// Exports in every format and a backup land in the data directory too,
	// so the walk below reads them.
	formats := []string{"mbox", "eml", "json", "csv", "html"}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		formats = append(formats, "pdf") // its text is compressed: read through pdftotext
	} else if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
	}
	for _, f := range formats {
		if code, _, stderr := run("", "export", "--format", f, "--out", filepath.Join(dir, "export-"+f+"."+f)); code != ExitOK {
			t.Fatalf("export %s: exit %d: %s", f, code, stderr)
		}
	}
	if code, _, stderr := run("", "backup", filepath.Join(dir, "backup.tidings")); code != ExitOK {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	files := 0

	// The password is in the private secrets file and nowhere else.
	if strings.Contains(allOut.String(), sentinel) {
		t.Errorf("the password was printed")
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b := readUnzipped(t, path)
		if bytes.Contains(b, []byte(sentinel)) && filepath.Base(path) != "secrets.json" {
			t.Errorf("the password is in %s", path)
		}
		if filepath.Base(path) == "secrets.json" {
			if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
				t.Errorf("secrets.json mode %v, want 0600", fi.Mode().Perm())
			}
		}
		return nil
	})
	if files < 8+len(formats)-5 {
		t.Errorf("walked %d files, want the store, secrets, every export and the backup", files)
	}
}

// readUnzipped returns a file's bytes, followed by every entry's when it
// is a zip (the EML export) and by its text when it is a PDF, so a grep
// sees through the compression.
func readUnzipped(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".pdf") {
		text, err := exec.Command("pdftotext", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", path, err)
		}
		return append(b, text...)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return b
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		e, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		b = append(b, e...)
	}
	return b
}

// TestEmailOAuth2 adds an account with OAuth2 (loopback + PKCE against a
// fake authorization server that Dovecot also trusts), syncs with the
// stored token, and checks the tokens stay out of the database.
func TestEmailOAuth2(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	as := dovetest.StartOAuth(t, "owner-client-id", mailUser)
	dove := dovetest.StartWith(t, dovetest.Options{Users: map[string]string{mailUser: "unused-password"}, IntrospectURL: as.URL + "/introspect"})
	smtpSrv := dovetest.StartSMTP(t, mailUser, "unused-password")
	smtpSrv.CheckToken = as.Valid
	if err := dove.Deliver(mailUser, "INBOX", [][]byte{[]byte("From: Ann <ann@example.com>\r\nSubject: Hi\r\nMessage-ID: <a@x>\r\n\r\nHello\r\n")}); err != nil { // doveadm cannot look users up with the oauth2 passdb
		t.Fatal(err)
	}
	old := openBrowser
	openBrowser = func(_ *Env, u string) error {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	defer func() { openBrowser = old }()
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(""), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	code, _, stderr := run("account", "add", "email", "--name", "Shop", "--address", mailUser, "--imap", dove.Addr, "--smtp", smtpSrv.Addr,
		"--security", "none", "--oauth2", "custom", "--client-id", "owner-client-id", "--auth-url", as.URL+"/authorize", "--token-url", as.URL+"/token")
	if code != ExitOK {
		t.Fatalf("account add --oauth2: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := run("sync", "--once")
	if code != ExitOK || !strings.Contains(stdout, "1 new") {
		t.Fatalf("sync with OAuth2: exit %d %q %q", code, stdout, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "secrets.json"))
	var m map[string]string
	json.Unmarshal(b, &m)
	var tokens []string
	for _, v := range m {
		var sec struct {
			Token struct {
				AccessToken  string `json:"access_token"`
				RefreshToken string `json:"refresh_token"`
			} `json:"token"`
		}
		json.Unmarshal([]byte(v), &sec)
		tokens = append(tokens, sec.Token.AccessToken, sec.Token.RefreshToken)
	}
	if len(tokens) != 2 || tokens[0] == "" || tokens[1] == "" {
		t.Fatalf("tokens in secrets.json: %q", tokens)
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "secrets.json" {
			return err
		}
		data, _ := os.ReadFile(path)
		for _, tok := range tokens {
			if bytes.Contains(data, []byte(tok)) {
				t.Errorf("an OAuth2 token is in %s", path)
			}
		}
		return nil
	})
}
