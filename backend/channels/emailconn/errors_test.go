package emailconn

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
)

// TestConnectErrors: what the owner must fix is permanent and says what to
// do; what goes away by itself is temporary.
func TestConnectErrors(t *testing.T) {
	ctx := context.Background()
	e := newMailEnv(t, "acc_errors")
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := port(t, l.Addr().String())
	l.Close()
	// A server that accepts and never says a word.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	cases := []struct {
		name     string
		port     int
		password string
		kind     channels.Kind
		hint     string
		// wait bounds a reply (Dovecot answers a failed login late).
		wait time.Duration
	}{
		{"login rejected", e.cfg.IMAPPort, "wrong", channels.KindPermanent, "password", 20 * time.Second},
		{"connection refused", closed, password, channels.KindTemporary, "port", time.Second},
		{"server silent", port(t, mute.Addr().String()), password, channels.KindTemporary, "", 300 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := e.cfg
			cfg.IMAPPort = tc.port
			c := New(Options{Account: e.acct, Config: cfg, Auth: email.Auth{Password: tc.password},
				IMAP: &email.Options{DialTimeout: 2 * time.Second, ReadTimeout: tc.wait}})
			defer c.Close()
			err := c.Connect(ctx)
			if got := channels.KindOf(err); got != tc.kind {
				t.Fatalf("error %v is %s, want %s", err, got, tc.kind)
			}
			if !strings.Contains(channels.HintOf(err), tc.hint) {
				t.Errorf("hint %q, want one mentioning %q", channels.HintOf(err), tc.hint)
			}
			// Receive connects too and fails the same way.
			if _, err := c.Receive(ctx, nil); channels.KindOf(err) != tc.kind {
				t.Errorf("receive: %v is %s, want %s", err, channels.KindOf(err), tc.kind)
			}
		})
	}
}

// TestSendErrors: a refused recipient fails this message only (rejected), a
// busy server is temporary, a rejected SMTP login is permanent, and a file
// over the limit is refused before any network I/O.
func TestSendErrors(t *testing.T) {
	ctx := context.Background()
	e := newMailEnv(t, "acc_send")
	out := channels.Outbound{To: "ana@customer.example", Subject: "Your order", Text: "On its way."}
	c := e.connector(password)
	defer c.Close()

	e.smtp.SetReject(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"})
	if _, err := c.Send(ctx, out); !channels.IsRejected(err) || !strings.Contains(err.Error(), "No such user") {
		t.Errorf("550 on RCPT: %v (%s), want rejected with the server's reason", err, channels.KindOf(err))
	}
	e.smtp.SetReject(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"})
	if _, err := c.Send(ctx, out); !channels.IsTemporary(err) {
		t.Errorf("451 on RCPT: %v (%s), want temporary", err, channels.KindOf(err))
	}
	e.smtp.SetReject(nil)
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("the server accepted %d messages while refusing, want 0", n)
	}

	bad := e.connector("wrong")
	defer bad.Close()
	if _, err := bad.Send(ctx, out); !channels.IsPermanent(err) || channels.HintOf(err) == "" {
		t.Errorf("wrong SMTP password: %v (%s), want permanent with a hint", err, channels.KindOf(err))
	}

	big := out
	big.Attachments = []inbox.Attachment{{Name: "video.mp4", Data: bytes.Repeat([]byte{1}, MaxUploadSize+1)}}
	if _, err := c.Send(ctx, big); !channels.IsRejected(err) || !strings.Contains(channels.HintOf(err), "25 MB") {
		t.Errorf("oversized file: %v (%s), want rejected naming the limit", err, channels.KindOf(err))
	}
	if _, err := c.Send(ctx, channels.Outbound{To: "not an address", Text: "x"}); !channels.IsRejected(err) {
		t.Errorf("bad address: %v, want rejected", err)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Errorf("the server got %d messages from refused sends, want 0", n)
	}
	res, err := c.Send(ctx, out)
	if err != nil || res.RemoteID == "" || len(e.smtp.Messages()) != 1 {
		t.Fatalf("send: %+v, %v; want one message with its Message-ID", res, err)
	}
}

// TestFactory opens an email account from the registry's way in: settings
// from the account, the password from the secret store.
func TestFactory(t *testing.T) {
	ctx := context.Background()
	e := newMailEnv(t, "acc_factory")
	sec := secrets.Open(t.TempDir(), &secrets.Options{NoKeyring: true})
	if _, err := Factory(e.acct, sec); !channels.IsPermanent(err) || !strings.Contains(channels.HintOf(err), "password") {
		t.Errorf("no password stored: %v, want permanent asking for the password", err)
	}
	if err := sec.Set(secrets.PasswordKey(e.acct.ID), password); err != nil {
		t.Fatal(err)
	}
	c, err := Factory(e.acct, sec)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Connect(ctx); err != nil {
		t.Fatalf("connect: %v", err)
	}
	if caps := c.Capabilities(); !caps.Threads || !caps.Attachments || caps.MaxUploadSize != MaxUploadSize {
		t.Errorf("capabilities %+v, want threads, attachments, 25 MB uploads", caps)
	}
	demo := e.acct
	demo.Config = []byte(`{"demo":true}`)
	if _, err := Factory(demo, sec); !channels.IsPermanent(err) {
		t.Errorf("demo account: %v, want permanent", err)
	}
}
