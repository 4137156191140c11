package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/store"
)

// invoice is a message with a 50,000-byte attachment.
func invoice(n string) []byte {
	data := bytes.Repeat([]byte("scan "+n+" \x00\xff"), 6000)[:50000]
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	b.WriteString("From: Ann <ann@example.com>\r\nTo: " + mailUser + "\r\nSubject: Invoice " + n + "\r\nMessage-ID: <inv-" + n + "@example.com>\r\n")
	b.WriteString("Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
	b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\nThe scan is attached.\r\n")
	b.WriteString("--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"scan-" + n + ".pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for i := 0; i < len(enc); i += 76 {
		b.WriteString(enc[i:min(i+76, len(enc))] + "\r\n")
	}
	b.WriteString("--b--\r\n")
	return []byte(b.String())
}

// `tidings export` of mail whose large attachment was left on the server
// (attachments.prefetch_max_bytes) downloads it first, signing in with the
// account's stored password; with the server away it still writes, and
// names the incomplete message on stderr and in --json.
func TestExportDownloadsOrNamesIncompleteMail(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no keyring here: the file fallback is used
	dove := dovetest.Start(t, map[string]string{mailUser: sentinel})
	smtpSrv := dovetest.StartSMTP(t, mailUser, sentinel)
	one, two := invoice("1"), invoice("2")
	for _, m := range [][]byte{one, two} {
		if err := dove.Save(mailUser, "INBOX", m); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	var all strings.Builder
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		all.WriteString(out.String() + errb.String())
		return code, out.String(), errb.String()
	}
	if code, _, stderr := run(sentinel+"\n", "account", "add", "email", "--name", "Shop", "--address", mailUser, "--imap", dove.Addr,
		"--smtp", smtpSrv.Addr, "--security", "none", "--password-stdin"); code != ExitOK {
		t.Fatalf("account add: exit %d: %s", code, stderr)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = st.SetSetting(context.Background(), "attachments.prefetch_max_bytes", "20000")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run("", "sync", "--once"); code != ExitOK {
		t.Fatalf("sync: exit %d: %s", code, stderr)
	}
	convOf := func(subject string) string {
		_, stdout, _ := run("", "conversations", "--json", "--status", "all")
		var convs []struct{ ID, Subject string }
		json.Unmarshal([]byte(stdout), &convs)
		for _, c := range convs {
			if c.Subject == subject {
				return c.ID
			}
		}
		t.Fatalf("no conversation %q in %s", subject, stdout)
		return ""
	}
	type result struct {
		Warnings   []string `json:"warnings"`
		Incomplete []string `json:"incomplete"`
	}
	export := func(conv, out string, more ...string) (result, string) {
		code, stdout, stderr := run("", append([]string{"export", "--format", "mbox", "--conversation", conv, "--out", out, "--json"}, more...)...)
		if code != ExitOK {
			t.Fatalf("export: exit %d: %s", code, stderr)
		}
		var r result
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("export --json: %v: %s", err, stdout)
		}
		return r, stderr
	}

	out1 := filepath.Join(dir, "one.mbox")
	if r, stderr := export(convOf("Invoice 1"), out1); len(r.Incomplete)+len(r.Warnings) != 0 || stderr != "" {
		t.Errorf("online export: %+v %q, want nothing incomplete", r, stderr)
	}
	if b, _ := os.ReadFile(out1); !bytes.Contains(b, one) {
		t.Errorf("online export lacks the whole original (%d bytes written)", len(b))
	}

	conv2 := convOf("Invoice 2")
	// --no-download: the server is there, but nothing is fetched; the
	// message is exported as stored and named.
	if r, stderr := export(conv2, filepath.Join(dir, "two-as-stored.mbox"), "--no-download"); len(r.Incomplete) != 1 ||
		!strings.Contains(stderr, "no download was attempted") {
		t.Errorf("export --no-download: %+v stderr %q, want Invoice 2 named as not downloaded", r, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "two-as-stored.mbox")); bytes.Contains(b, two) {
		t.Errorf("export --no-download downloaded the whole original")
	}
	dove.Stop()
	r, stderr := export(conv2, filepath.Join(dir, "two.mbox"))
	if len(r.Incomplete) != 1 || len(r.Warnings) != 1 || !strings.Contains(stderr, "warning: message \"Invoice 2\"") ||
		!strings.Contains(stderr, "scan-2.pdf") || !strings.Contains(stderr, "cannot be reached") {
		t.Errorf("offline export: %+v stderr %q, want Invoice 2 named, its missing scan-2.pdf and why", r, stderr)
	}
	if strings.Contains(all.String(), sentinel) {
		t.Errorf("the password reached the output")
	}
}
