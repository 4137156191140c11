package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
)

// TestEmailExtraFolder: a folder besides Inbox, Sent and Archive is synced
// when asked for with --folder; a folder the server does not list is a
// usage error that names what it does list, and nothing is saved.
func TestEmailExtraFolder(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	dove := dovetest.Start(t, map[string]string{mailUser: "pw"})
	smtpSrv := dovetest.StartSMTP(t, mailUser, "pw")
	if _, err := dove.Doveadm(nil, "mailbox", "create", "-u", mailUser, "Support"); err != nil {
		t.Fatal(err)
	}
	for folder, subject := range map[string]string{"INBOX": "In the inbox", "Support": "Filed under Support", "Trash": "Thrown away"} {
		m := "From: Ann <ann@example.com>\r\nTo: " + mailUser + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + folder + "@example.com>\r\n\r\nHello\r\n"
		if err := dove.Save(mailUser, folder, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	add := func(folder string) (int, string, string) {
		return run("pw\n", "account", "add", "email", "--name", "Shop", "--address", mailUser, "--imap", dove.Addr, "--smtp", smtpSrv.Addr,
			"--security", "none", "--folder", folder, "--password-stdin")
	}
	if code, _, stderr := add("Nope"); code != ExitUsage || !strings.Contains(stderr, `the server has no folder "Nope"`) || !strings.Contains(stderr, "Support") {
		t.Fatalf("unknown folder: exit %d %q, want 2 naming Nope and the folders there are", code, stderr)
	}
	if code, stdout, _ := run("", "account", "list", "--json"); code != ExitOK || strings.Contains(stdout, "Shop") {
		t.Fatalf("after a refused add: %s, want no account", stdout)
	}
	code, stdout, stderr := add("support")
	if code != ExitOK || !strings.Contains(stdout, "Folders to sync: INBOX, Sent, Archive, Support.") {
		t.Fatalf("add with --folder: exit %d %q %q, want Support among the folders", code, stdout, stderr)
	}
	if code, _, stderr := run("", "sync", "--once"); code != ExitOK {
		t.Fatalf("sync: exit %d: %s", code, stderr)
	}
	_, stdout, _ = run("", "conversations", "--json")
	if !strings.Contains(stdout, "Filed under Support") || !strings.Contains(stdout, "In the inbox") || strings.Contains(stdout, "Thrown away") {
		t.Errorf("conversations: %s, want the inbox and Support, not Trash", stdout)
	}
}
