package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/workspace"
)

// TestOutboxRetryWithNewText: a reply the SMTP server refuses (5xx) is
// listed failed with the server's reason by `outbox --json`; `outbox retry
// ID --body-file F` sends the new text in its place, threaded like it, once
// the server accepts: one message delivered. A second failed reply is
// retried as it is, under the same outbox ID.
func TestOutboxRetryWithNewText(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	const pass = "outbox-pw"
	dove := dovetest.Start(t, map[string]string{mailUser: pass})
	smtpSrv := dovetest.StartSMTP(t, mailUser, pass)
	if err := dove.Save(mailUser, "INBOX", []byte("From: Ann <ann@example.com>\r\nTo: "+mailUser+"\r\nSubject: Wheel size?\r\nMessage-ID: <ann-1@example.com>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nWhich wheel fits?\r\n")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"--data", dir}, args...), strings.NewReader(pass+"\n"), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	if code, _, stderr := run("account", "add", "email", "--name", "Shop", "--address", mailUser, "--imap", dove.Addr, "--smtp", smtpSrv.Addr, "--security", "none", "--password-stdin"); code != ExitOK {
		t.Fatalf("account add: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run("sync", "--once"); code != ExitOK {
		t.Fatalf("sync: exit %d: %s", code, stderr)
	}
	_, stdout, _ := run("conversations", "--json")
	var convs []struct {
		ID string `json:"id"`
	}
	json.Unmarshal([]byte(stdout), &convs)
	if len(convs) != 1 {
		t.Fatalf("conversations: %s", stdout)
	}
	body := filepath.Join(t.TempDir(), "body.txt")
	os.WriteFile(body, []byte("The 26 inch one.\n"), 0o644)
	smtpSrv.SetReject(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"})
	code, stdout, stderr := run("reply", convs[0].ID, "--body-file", body)
	if code != ExitOK || !strings.Contains(stdout, "tidings outbox retry out_") {
		t.Fatalf("refused reply: exit %d %q %q, want the retry command named", code, stdout, stderr)
	}

	code, stdout, stderr = run("outbox", "--state", "failed", "--json")
	var list []outboxEntry
	if err := json.Unmarshal([]byte(stdout), &list); code != ExitOK || err != nil || len(list) != 1 {
		t.Fatalf("outbox --json: exit %d %v %s %s", code, err, stdout, stderr)
	}
	failed := list[0]
	if failed.State != "failed" || !strings.Contains(failed.Error, "Mailbox unavailable") || failed.Account != "Shop" ||
		strings.Join(failed.To, ",") != "ann@example.com" || failed.Subject != "Re: Wheel size?" || failed.Conversation != convs[0].ID {
		t.Fatalf("failed entry: got %+v", failed)
	}
	var raw []map[string]any
	json.Unmarshal([]byte(stdout), &raw)
	hasKeys(t, "outbox --json", raw[0], "id", "account", "conversation", "message_id", "state", "attempts", "error", "to", "subject", "created_at")

	if code, _, stderr := run("outbox", "retry", "out_nosuch"); code != ExitError || !strings.Contains(stderr, "not found") {
		t.Errorf("retry of an unknown ID: exit %d %q", code, stderr)
	}
	// The new text is signed as replies are (Settings → Signatures).
	ws, err := workspace.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ws.Store.AccountByName(context.Background(), "Shop")
	if err == nil {
		err = ws.Store.SetSignature(context.Background(), acct.ID, "Sam, Bluebird Bikes")
	}
	ws.Close()
	if err != nil {
		t.Fatal(err)
	}
	smtpSrv.SetReject(nil)
	edited := filepath.Join(t.TempDir(), "edited.txt")
	os.WriteFile(edited, []byte("Sorry: the 28 inch one fits.\n"), 0o644)
	code, stdout, stderr = run("outbox", "retry", failed.ID, "--body-file", edited, "--json")
	var res outboxRetryResult
	if err := json.Unmarshal([]byte(stdout), &res); code != ExitOK || err != nil {
		t.Fatalf("outbox retry: exit %d %v %s %s", code, err, stdout, stderr)
	}
	if res.State != "sent" || res.Replaced != failed.ID || res.Outbox == failed.ID || res.Conversation != convs[0].ID || res.AlreadySent {
		t.Fatalf("outbox retry: got %+v", res)
	}
	got := smtpSrv.Messages()
	if len(got) != 1 || !strings.Contains(string(got[0].Data), "Sorry: the 28 inch one fits.\r\n\r\n--=20\r\nSam, Bluebird Bikes") || strings.Contains(string(got[0].Data), "26 inch") ||
		!strings.Contains(string(got[0].Data), "In-Reply-To: <ann-1@example.com>") {
		t.Fatalf("smtp: got %d messages %q", len(got), got)
	}
	if code, _, stderr := run("outbox", "retry", res.Outbox); code != ExitError || !strings.Contains(stderr, "not failed") {
		t.Errorf("retry of a sent message: exit %d %q", code, stderr)
	}

	// Retried as it is: the same entry goes out.
	smtpSrv.SetReject(&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relay denied"})
	run("reply", convs[0].ID, "--body-file", body)
	_, stdout, _ = run("outbox", "--state", "failed", "--json")
	list = nil
	json.Unmarshal([]byte(stdout), &list)
	if len(list) != 1 {
		t.Fatalf("second failure: %s", stdout)
	}
	smtpSrv.SetReject(nil)
	code, stdout, stderr = run("outbox", "retry", list[0].ID)
	if code != ExitOK || !strings.Contains(stdout, "Sent to ann@example.com") {
		t.Fatalf("retry as it is: exit %d %q %q", code, stdout, stderr)
	}
	if n := len(smtpSrv.Messages()); n != 2 || !strings.Contains(string(smtpSrv.Messages()[1].Data), "The 26 inch one.") {
		t.Errorf("after the plain retry: %d messages at the server, want 2, the second unchanged", n)
	}
	_, stdout, _ = run("outbox", "--json")
	list = nil
	json.Unmarshal([]byte(stdout), &list)
	for _, e := range list {
		if e.State != "sent" {
			t.Errorf("outbox entry %s is %s, want every one sent", e.ID, e.State)
		}
	}
	if len(list) != 2 {
		t.Errorf("outbox: %d entries, want 2 (the edit replaced the failed one)", len(list))
	}
}
