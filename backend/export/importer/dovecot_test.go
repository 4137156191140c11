package importer

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
)

// mail that a server and a mail client store: a customer's message, our
// reply in Sent, and the customer's answer.
var serverMail = []struct{ folder, raw string }{
	{"INBOX", msgCyrillic},
	{"Sent", msgReply},
	{"INBOX", "From: =?utf-8?b?0JTQvNC40YLRgNC40Lk=?= <d.ivanov@example.ru>\r\nTo: hello@bluebird-bikes.example\r\n" +
		"Subject: Re: Re: =?utf-8?b?0JfQsNC60LDQtyDihJYgNDI=?=\r\nDate: Tue, 03 Nov 2026 09:00:00 +0300\r\n" +
		"Message-ID: <crafted-3@example.ru>\r\nIn-Reply-To: <crafted-2@bluebird-bikes.example>\r\n" +
		"References: <crafted-1@example.ru> <crafted-2@bluebird-bikes.example>\r\n\r\nОтлично, жду!\r\n"},
}

func dovecotWithMail(t *testing.T) *dovetest.Server {
	t.Helper()
	srv := dovetest.Start(t, map[string]string{"owner@shop.example": "secret"})
	for _, m := range serverMail {
		if err := srv.Save("owner@shop.example", m.folder, []byte(m.raw)); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.Flags("owner@shop.example", `\Seen`, "mailbox", "INBOX", "uid", "1"); err != nil {
		t.Fatal(err)
	}
	return srv
}

func checkServerMail(t *testing.T, sum Summary, err error, dir string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 3 || sum.Unreadable != 0 || len(sum.NotMail) != 0 {
		t.Fatalf("%s: got %+v, want 3 imported and no file called not mail", dir, sum)
	}
}

// Dovecot's own Maildir (Maildir++ with .Sent, dovecot-uidlist and index
// files): imported as synced mail would be.
func TestImportDovecotMaildir(t *testing.T) {
	srv := dovecotWithMail(t)
	st := newStore(t)
	dir := srv.Maildir("owner@shop.example", "INBOX")
	sum, err := Import(context.Background(), st, dir, nil)
	checkServerMail(t, sum, err, dir)
	if n := count(t, st, `SELECT count(DISTINCT conversation_id) FROM messages`); n != 1 {
		t.Errorf("the three messages are in %d conversations, want 1", n)
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE message_id = '<crafted-2@bluebird-bikes.example>' AND direction = 'out'`); n != 1 {
		t.Error("the message from Sent is not outgoing")
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE message_id = '<crafted-1@example.ru>' AND is_read = 1`); n != 1 {
		t.Error("the \\Seen flag set on the server was lost")
	}
}

// A Maildir that mbsync (isync) pulled from the server over IMAP.
func TestImportMbsyncMaildir(t *testing.T) {
	mbsync, err := exec.LookPath("mbsync")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mbsync is needed (apt-get install isync)")
		}
		t.Skip("mbsync not installed (apt-get install isync)")
	}
	srv := dovecotWithMail(t)
	local := t.TempDir()
	host, port, _ := strings.Cut(srv.Addr, ":")
	conf := filepath.Join(t.TempDir(), "mbsyncrc")
	os.WriteFile(conf, []byte(`IMAPAccount shop
Host `+host+`
Port `+port+`
User owner@shop.example
Pass secret
SSLType None
AuthMechs LOGIN

IMAPStore shop-remote
Account shop

MaildirStore shop-local
Path `+local+`/
Inbox `+local+`/INBOX
SubFolders Verbatim

Channel shop
Far :shop-remote:
Near :shop-local:
Patterns *
Create Near
SyncState *
`), 0o600)
	if out, err := exec.Command(mbsync, "-c", conf, "-a").CombinedOutput(); err != nil {
		t.Fatalf("mbsync: %v\n%s", err, out)
	}
	st := newStore(t)
	sum, err := Import(context.Background(), st, local, nil)
	checkServerMail(t, sum, err, local)
	if n := count(t, st, `SELECT count(*) FROM messages WHERE message_id = '<crafted-2@bluebird-bikes.example>' AND direction = 'out'`); n != 1 {
		t.Error("the message from Sent is not outgoing")
	}
	// Importing the server's copy as well: the same messages, skipped.
	sum, err = Import(context.Background(), st, srv.Maildir("owner@shop.example", "INBOX"), nil)
	if err != nil || sum.Imported != 0 || sum.Skipped != 3 {
		t.Errorf("server copy after the mbsync copy: got %+v %v, want 3 skipped", sum, err)
	}
}
