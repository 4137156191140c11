package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/syncer"
)

// `account folders NAME` lists the server's folders and which sync;
// --set chooses the extra ones (by any case, saved in the server's
// spelling), refuses a folder the server lacks with exit 2, and --set ""
// goes back to Inbox, Sent and Archive.
func TestAccountFolders(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	dove := dovetest.Start(t, map[string]string{mailUser: "folders-pw"})
	smtpSrv := dovetest.StartSMTP(t, mailUser, "folders-pw")
	if out, err := dove.Doveadm(nil, "mailbox", "create", "-u", mailUser, "Wholesale"); err != nil {
		t.Fatalf("doveadm: %v %s", err, out)
	}
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	if code, _, stderr := run("folders-pw\n", "account", "add", "email", "--name", "Shop", "--address", mailUser, "--imap", dove.Addr,
		"--smtp", smtpSrv.Addr, "--security", "none", "--password-stdin"); code != ExitOK {
		t.Fatalf("account add: exit %d: %s", code, stderr)
	}
	choices := func(args ...string) []syncer.FolderChoice {
		t.Helper()
		code, stdout, stderr := run("", append([]string{"account", "folders", "Shop", "--json"}, args...)...)
		if code != ExitOK {
			t.Fatalf("account folders %v: exit %d: %s", args, code, stderr)
		}
		var got []syncer.FolderChoice
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("account folders --json: %v: %s", err, stdout)
		}
		return got
	}
	synced := func(l []syncer.FolderChoice, name string) bool {
		for _, f := range l {
			if f.Name == name {
				return f.Synced
			}
		}
		t.Fatalf("%s not listed in %+v", name, l)
		return false
	}
	if l := choices(); !synced(l, "INBOX") || synced(l, "Wholesale") {
		t.Errorf("before: %+v, want INBOX synced and Wholesale not", l)
	}
	if l := choices("--set", "wholesale"); !synced(l, "Wholesale") {
		t.Errorf("--set wholesale: %+v", l)
	}
	_, stdout, _ := run("", "account", "list", "--json")
	var accts []struct {
		Settings struct {
			Folders []string `json:"folders"`
		} `json:"settings"`
	}
	if err := json.Unmarshal([]byte(stdout), &accts); err != nil || len(accts) != 1 || strings.Join(accts[0].Settings.Folders, ",") != "Wholesale" {
		t.Errorf("account list does not show the saved folder (%v): %s", err, stdout)
	}
	if code, _, stderr := run("", "account", "folders", "Shop", "--set", "Nowhere"); code != ExitUsage || !strings.Contains(stderr, `"Nowhere"`) {
		t.Errorf("unknown folder: exit %d %q, want 2 naming it", code, stderr)
	}
	if l := choices("--set", ""); synced(l, "Wholesale") {
		t.Errorf(`--set "": %+v, want Wholesale no longer synced`, l)
	}
	if code, stdout, _ := run("", "account", "folders", "Shop"); code != ExitOK || !strings.Contains(stdout, "INBOX") || !strings.Contains(stdout, "always") {
		t.Errorf("the table: exit %d %q", code, stdout)
	}
	if code, _, stderr := run("", "account", "folders", "Nobody"); code == ExitOK || !strings.Contains(stderr, "Nobody") {
		t.Errorf("unknown account: exit %d %q", code, stderr)
	}
}
