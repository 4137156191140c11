package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// TestEditFailedAndRetry: a reply the SMTP server (go-smtp, in process)
// refuses with a 5xx is shown failed with the server's reason; opened with
// ComposeEdit it comes back with its recipients, subject, text and file;
// SendEdited sends the edited text in its place once the server accepts:
// exactly one message delivered, threaded like the failed one, and the
// failed entry and its copy gone. A failed message whose copy turns up in
// Sent (a real Dovecot) is not sent again: RetrySend says it already went.
func TestEditFailedAndRetry(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	const user, pass = "owner@shop.example", "pw-edit"
	dove := dovetest.Start(t, map[string]string{user: pass})
	smtpSrv := dovetest.StartSMTP(t, user, pass)
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	rec := &nameRecorder{}
	e := NewEmail(ws, rec, secrets.Open(dir, &secrets.Options{NoKeyring: true}), nil)
	ih, ip, _ := net.SplitHostPort(dove.Addr)
	sh, sp, _ := net.SplitHostPort(smtpSrv.Addr)
	ipn, _ := strconv.Atoi(ip)
	spn, _ := strconv.Atoi(sp)
	acct, err := e.AddAccount(syncer.AccountForm{Name: "Shop", Address: user, IMAPHost: ih, IMAPPort: ipn, SMTPHost: sh, SMTPPort: spn, Security: "none"}, pass)
	if err != nil {
		t.Fatal(err)
	}
	a := New(ws, rec)
	a.Startup(ctx)
	wait := func(convID, messageID, state string, n int) OutboxView {
		t.Helper()
		var v OutboxView
		waitFor(t, "outbox "+state, 30*time.Second, func() bool {
			states, _ := a.Outbox(convID)
			v = states[messageID]
			return v.State == state && len(smtpSrv.Messages()) == n
		})
		return v
	}

	first, err := a.Send(SendRequest{Mode: ModeNew, AccountID: acct.ID, To: []string{"Ann Lee <ann@customer.example>"}, Subject: "Your order", Body: "It left today."})
	if err != nil {
		t.Fatal(err)
	}
	wait(first.ConversationID, first.MessageID, "sent", 1)

	// A reply in the same conversation, with a file, refused for good.
	smtpSrv.SetReject(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"})
	key := first.ConversationID + ":reply"
	if _, err := a.AddDraftFile(key, acct.ID, NewDraftFile{Name: "label.txt", Data: []byte("tracking 42\n")}); err != nil {
		t.Fatal(err)
	}
	failed, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: first.ConversationID, To: []string{"ann@customer.example"}, Cc: []string{"ops@shop.example"},
		Subject: "Re: Your order", Body: "Tracking: 4X", DraftKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if failed.ConversationID != first.ConversationID {
		t.Fatalf("reply filed in %s, want %s", failed.ConversationID, first.ConversationID)
	}
	st := wait(failed.ConversationID, failed.MessageID, "failed", 1)
	if !strings.Contains(st.Error, "Mailbox unavailable") || st.OutboxID != failed.OutboxID {
		t.Fatalf("failed state: got %+v, want the server's reason on %s", st, failed.OutboxID)
	}
	failedRaw, _ := ws.Store.OutboxItem(ctx, failed.OutboxID)
	failedMsg := parseMessage(t, failedRaw.Raw)

	v, err := a.ComposeEdit(failed.OutboxID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Mode != ModeEdit || v.ConversationID != first.ConversationID || strings.Join(v.To, ",") != "ann@customer.example" || strings.Join(v.Cc, ",") != "ops@shop.example" ||
		v.Subject != "Re: Your order" || v.Body != "Tracking: 4X" || v.AccountID != acct.ID {
		t.Fatalf("edit defaults: got %+v", v)
	}
	files, err := a.DraftFiles(EditDraftKey(failed.OutboxID))
	if err != nil || len(files) != 1 || files[0].Name != "label.txt" || files[0].Size != 12 {
		t.Fatalf("edit files: got %+v, %v", files, err)
	}
	// Opened again, the files are not added twice.
	if _, err := a.ComposeEdit(failed.OutboxID); err != nil {
		t.Fatal(err)
	}
	if files, _ := a.DraftFiles(EditDraftKey(failed.OutboxID)); len(files) != 1 {
		t.Fatalf("edit files after a second open: got %d, want 1", len(files))
	}

	smtpSrv.SetReject(nil)
	sent, err := a.SendEdited(failed.OutboxID, SendRequest{To: v.To, Cc: v.Cc, Subject: v.Subject, Body: "Tracking: 4X-77 (corrected)", DraftKey: EditDraftKey(failed.OutboxID)})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ConversationID != first.ConversationID || sent.OutboxID == failed.OutboxID || sent.MessageID == failed.MessageID {
		t.Fatalf("edited send: got %+v", sent)
	}
	wait(sent.ConversationID, sent.MessageID, "sent", 2)
	time.Sleep(300 * time.Millisecond)
	if n := len(smtpSrv.Messages()); n != 2 {
		t.Fatalf("%d messages at the SMTP server, want 2 (the first and the edit)", n)
	}
	got := smtpSrv.Messages()[1]
	text, names := mimeText(t, got.Data)
	if !strings.HasPrefix(text, "Tracking: 4X-77 (corrected)") || names != "label.txt" {
		t.Errorf("delivered: text %q, files %q", text, names)
	}
	if strings.Join(got.To, ",") != "ann@customer.example,ops@shop.example" {
		t.Errorf("envelope: got %v", got.To)
	}
	m := parseMessage(t, got.Data)
	if m.InReplyTo != failedMsg.InReplyTo || m.InReplyTo == "" || strings.Join(m.References, " ") != strings.Join(failedMsg.References, " ") {
		t.Errorf("threading: got In-Reply-To %q References %v, want %q %v", m.InReplyTo, m.References, failedMsg.InReplyTo, failedMsg.References)
	}
	if _, err := ws.Store.OutboxItem(ctx, failed.OutboxID); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("the failed entry: got %v, want it gone", err)
	}
	th, err := a.Thread(first.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, m := range th.Messages {
		bodies = append(bodies, m.Text)
	}
	if len(th.Messages) != 2 || !strings.HasPrefix(th.Messages[1].Text, "Tracking: 4X-77") || len(th.Messages[1].Attachments) != 1 {
		t.Errorf("conversation: got %d messages %q, want the first and the edit", len(th.Messages), bodies)
	}
	if files, _ := a.DraftFiles(EditDraftKey(failed.OutboxID)); len(files) != 0 {
		t.Errorf("the edit's draft keeps %d files after sending", len(files))
	}
	// Nothing to edit any more.
	if _, err := a.SendEdited(failed.OutboxID, SendRequest{To: v.To, Body: "again"}); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("a second SendEdited: got %v, want not found", err)
	}

	// A failed message whose copy is in Sent went out: not sent again.
	smtpSrv.SetReject(&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relay denied"})
	third, err := a.Send(SendRequest{Mode: ModeNew, AccountID: acct.ID, To: []string{"bob@customer.example"}, Subject: "Quote", Body: "Here it is."})
	if err != nil {
		t.Fatal(err)
	}
	wait(third.ConversationID, third.MessageID, "failed", 2)
	item, _ := ws.Store.OutboxItem(ctx, third.OutboxID)
	if err := dove.Save(user, "Sent", item.Raw); err != nil {
		t.Fatal(err)
	}
	smtpSrv.SetReject(nil)
	if err := a.RetrySend(third.OutboxID); !errors.Is(err, syncer.ErrAlreadySent) {
		t.Fatalf("retry of a message found in Sent: got %v, want ErrAlreadySent", err)
	}
	if _, err := a.SendEdited(third.OutboxID, SendRequest{To: []string{"bob@customer.example"}, Body: "x"}); !errors.Is(err, inbox.ErrConflict) {
		t.Errorf("edit of a message shown sent: got %v, want a conflict", err)
	}
	states, _ := a.Outbox(third.ConversationID)
	if states[third.MessageID].State != "sent" {
		t.Errorf("state after the Sent check: got %+v, want sent", states[third.MessageID])
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtpSrv.Messages()); n != 2 {
		t.Errorf("%d messages at the SMTP server, want still 2", n)
	}
}

func parseMessage(t *testing.T, raw []byte) *inbox.Message {
	t.Helper()
	p := email.Parse(raw)
	if p.Message == nil {
		t.Fatalf("unreadable message:\n%s", raw)
	}
	return p.Message
}

// mimeText is a delivered message's text part and its files' names.
func mimeText(t *testing.T, raw []byte) (text, names string) {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *mail.InlineHeader:
			text = string(b)
		case *mail.AttachmentHeader:
			name, _ := h.Filename()
			files = append(files, name)
		}
	}
	return text, strings.Join(files, ",")
}
