package emailconn

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/channeltest"
	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
)

const (
	owner    = "owner@shop.example"
	password = "s3cret-pass"
)

var customer = inbox.Address{Name: "Ana Lima", Address: "ana@customer.example"}

// mailEnv is a real Dovecot behind a proxy that can cut connections, an
// in-process SMTP server, and an email account on both.
type mailEnv struct {
	srv   *dovetest.Server
	proxy *dovetest.Proxy
	smtp  *dovetest.SMTPServer
	cfg   email.Config
	acct  inbox.Account
}

func newMailEnv(t *testing.T, id string) *mailEnv { return newEnvTB(t, id) }

// newBenchEnv is newMailEnv for a benchmark.
func newBenchEnv(b *testing.B) *mailEnv { return newEnvTB(b, "acc_bench") }

func newEnvTB(t testing.TB, id string) *mailEnv {
	t.Helper()
	srv := dovetest.Start(t, map[string]string{owner: password})
	e := &mailEnv{srv: srv, proxy: dovetest.StartProxy(t, srv.Addr), smtp: dovetest.StartSMTP(t, owner, password)}
	e.cfg = email.Config{Address: owner, IMAPHost: "127.0.0.1", IMAPPort: port(t, e.proxy.Addr), IMAPSecurity: email.None,
		SMTPHost: "127.0.0.1", SMTPPort: port(t, e.smtp.Addr), SMTPSecurity: email.None}
	e.acct = inbox.Account{ID: id, Channel: inbox.ChannelEmail, Name: "Shop", Address: owner, Config: e.cfg.JSON()}
	return e
}

func port(t testing.TB, addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

func (e *mailEnv) connector(pw string) *Connector {
	return New(Options{Account: e.acct, Config: e.cfg, Auth: email.Auth{Password: pw},
		IMAP: &email.Options{DialTimeout: 5 * time.Second, ReadTimeout: 20 * time.Second}})
}

// save delivers a message composed by email.Compose into a folder.
func (e *mailEnv) save(t *testing.T, folder string, d email.Draft) {
	t.Helper()
	raw, err := email.Compose(&d)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Save(owner, folder, raw); err != nil {
		t.Fatal(err)
	}
}

// subjectOf is a subject of the customer's own for each text, so the
// subject rule never ties two test messages together.
func subjectOf(text string) string {
	if i := strings.IndexAny(text, ".,?!"); i > 0 {
		return text[:i]
	}
	return text
}

func TestConformance(t *testing.T) {
	e := newMailEnv(t, "acc_emailconn")
	channeltest.Run(t, channeltest.Harness{
		Account: e.acct,
		New:     func(t *testing.T) channels.Connector { return e.connector(password) },
		Deliver: func(t *testing.T, text string, file *inbox.Attachment) {
			d := email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: subjectOf(text), Text: text}
			if file != nil {
				d.Attachments = []inbox.Attachment{*file}
			}
			e.save(t, "INBOX", d)
		},
		DeliverReply: func(t *testing.T, text string, parent channels.Inbound) {
			// In-Reply-To only, no References: the threader must follow
			// the parent, not a thread key.
			e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: subjectOf(text), Text: text,
				InReplyTo: parent.Message.MessageID})
		},
		Sent: func(t *testing.T) []channeltest.SentMessage {
			var out []channeltest.SentMessage
			for _, m := range e.smtp.Messages() {
				p := email.Parse(m.Data)
				// SMTP ends every message with a line break (RFC 5321
				// section 4.1.1.4); the text sent had none.
				out = append(out, channeltest.SentMessage{Text: strings.TrimSuffix(p.Message.Text, "\r\n"), Files: p.Message.Attachments})
			}
			return out
		},
		FailNextReceive: func(t *testing.T) { e.proxy.Cut() },
		BreakCredentials: func(t *testing.T) {
			if err := e.srv.SetPassword(owner, "changed-at-the-provider"); err != nil {
				t.Fatal(err)
			}
		},
	})
}
