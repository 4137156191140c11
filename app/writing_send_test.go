package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/channels/emailconn"
	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// TestSendWithFilesOverSMTP writes a new message the way the window does
// (signature in the body, a canned reply, two files attached to the draft)
// and checks what a real SMTP server (go-smtp, in process) receives: a
// multipart message whose attachments are byte for byte the files, with
// the signature under "-- ". The IMAP side is a real Dovecot.
func TestSendWithFilesOverSMTP(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	const user, pass = "owner@shop.example", "pw-writing"
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
	added, err := e.AddAccount(syncer.AccountForm{Name: "Shop", Address: user, IMAPHost: ih, IMAPPort: ipn, SMTPHost: sh, SMTPPort: spn, Security: "none"}, pass)
	if err != nil {
		t.Fatal(err)
	}
	a := New(ws, rec)
	a.Startup(ctx)
	if err := a.SetSignature(added.ID, "Sam\nBluebird Bikes"); err != nil {
		t.Fatal(err)
	}
	v, err := a.ComposeFrom(added.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Attachments || v.MaxUploadSize != emailconn.MaxUploadSize || v.Signature != "Sam\nBluebird Bikes" || len(v.Accounts) != 1 {
		t.Fatalf("compose defaults: got %+v", v)
	}
	canned, err := a.SaveCannedReply(CannedReplyView{Name: "Invoice", Body: "Hello {first_name}, your invoice is attached."})
	if err != nil {
		t.Fatal(err)
	}
	to := []string{"Ann Lee <ann@customer.example>"}
	filled, err := a.FillCannedReply(FillRequest{CannedID: canned.ID, AccountID: added.ID, To: to})
	if err != nil || filled.Text != "Hello Ann, your invoice is attached." {
		t.Fatalf("filled: got %+v, %v", filled, err)
	}

	pdf := make([]byte, 300<<10)
	rand.Read(pdf)
	const key = "new"
	if _, err := a.AddDraftFile(key, added.ID, NewDraftFile{Name: "invoice.pdf", ContentType: "application/pdf", Data: pdf}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddDraftFile(key, added.ID, NewDraftFile{Name: "größe.txt", Data: []byte("frame: 54 cm\n")}); err != nil {
		t.Fatal(err)
	}
	body := filled.Text + "\n\n-- \n" + v.Signature
	sent, err := a.Send(SendRequest{Mode: ModeNew, AccountID: added.ID, To: to, Subject: "Your invoice", Body: body, DraftKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := a.DraftFiles(key); len(files) != 0 {
		t.Errorf("after Send the draft still holds %d files", len(files))
	}
	var state OutboxView
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		states, _ := a.Outbox(sent.ConversationID)
		state = states[sent.MessageID]
		if state.State == "sent" && len(smtpSrv.Messages()) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not sent within 30 s: outbox %+v, %d messages at the SMTP server", state, len(smtpSrv.Messages()))
		}
	}
	got := smtpSrv.Messages()[0]
	if len(got.To) != 1 || got.To[0] != "ann@customer.example" {
		t.Errorf("envelope: got %v", got.To)
	}
	mr, err := mail.CreateReader(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	var text string
	files := map[string][]byte{}
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
			files[name] = b
		}
	}
	if want := "Hello Ann, your invoice is attached.\r\n\r\n-- \r\nSam\r\nBluebird Bikes"; !strings.HasPrefix(text, want) || strings.Count(text, "-- ") != 1 {
		t.Errorf("text: got %q, want it to start %q with one signature", text, want)
	}
	if !bytes.Equal(files["invoice.pdf"], pdf) || string(files["größe.txt"]) != "frame: 54 cm\n" || len(files) != 2 {
		t.Errorf("attachments: got %d files (pdf equal %v, txt %q)", len(files), bytes.Equal(files["invoice.pdf"], pdf), files["größe.txt"])
	}
	// The copy in the conversation lists the files with their sizes.
	th, err := a.Thread(sent.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	m := th.Messages[len(th.Messages)-1]
	if len(m.Attachments) != 2 || m.Attachments[0].Size != int64(len(pdf)) {
		t.Errorf("stored copy: got attachments %+v", m.Attachments)
	}
}

// TestSendFilesOnTelegram answers a Telegram chat with a photo and a
// document from the draft, through the connector to a fake Bot API.
func TestSendFilesOnTelegram(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	const token = "123456789:AAHwriting"
	srv := fakebot.New(token)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	cfg, _ := json.Marshal(telegram.Config{APIURL: srv.URL, BotUsername: "shop_bot"})
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Address: "@shop_bot", Config: cfg}
	if err := ws.Store.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	sec := secrets.Open(dir, &secrets.Options{NoKeyring: true})
	if err := sec.Set(telegram.TokenKey(acct.ID), token); err != nil {
		t.Fatal(err)
	}
	ev := make(events, 64)
	c := NewChannels(ws, ev, sec)
	c.Startup(ctx)
	defer c.Shutdown()
	srv.Text(fakebot.User{ID: 4242, FirstName: "Ana"}, "Can you send the manual?")
	for e := range ev {
		if e == EventChanged {
			break
		}
	}
	convs, _ := ws.Store.Conversations(ctx, storeFilter(acct.ID))
	if len(convs) != 1 {
		t.Fatalf("%d conversations, want 1", len(convs))
	}
	a := New(ws, &recorder{})
	a.Startup(ctx)
	v, err := a.ComposeDefaults(convs[0].ID, ModeReply)
	if err != nil {
		t.Fatal(err)
	}
	if v.Signature != "" || !v.Attachments || v.MaxUploadSize != telegram.MaxUploadSize {
		t.Errorf("chat defaults: got signature %q attachments %v limit %d", v.Signature, v.Attachments, v.MaxUploadSize)
	}
	key := convs[0].ID + ":reply"
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 2000)...)
	manual := bytes.Repeat([]byte("manual "), 5000)
	if _, err := a.AddDraftFile(key, acct.ID, NewDraftFile{Name: "bike.png", ContentType: "image/png", Data: png}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddDraftFile(key, acct.ID, NewDraftFile{Name: "manual.pdf", Data: manual}); err != nil {
		t.Fatal(err)
	}
	sent, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: convs[0].ID, Body: "Here you go", DraftKey: key})
	if err != nil || sent.State != "sent" {
		t.Fatalf("send: got %+v, %v", sent, err)
	}
	var methods []string
	for _, s := range srv.Sent() {
		methods = append(methods, s.Method)
		switch s.Method {
		case "sendPhoto":
			if !bytes.Equal(s.FileData, png) || s.Caption != "Here you go" {
				t.Errorf("photo: got %d bytes caption %q", len(s.FileData), s.Caption)
			}
		case "sendDocument":
			if !bytes.Equal(s.FileData, manual) || s.FileName != "manual.pdf" {
				t.Errorf("document: got %d bytes named %q", len(s.FileData), s.FileName)
			}
		}
	}
	if strings.Join(methods, ",") != "sendPhoto,sendDocument" {
		t.Errorf("bot calls: got %v, want sendPhoto then sendDocument", methods)
	}
	if files, _ := a.DraftFiles(key); len(files) != 0 {
		t.Errorf("after Send the draft still holds %d files", len(files))
	}
}
