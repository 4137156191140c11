package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// TestReplySignature: `tidings reply` signs as the window's composer does,
// with the account's signature from Settings → Signatures: on Telegram
// after a blank line, on email under "-- " (the signatures table winning
// over an older copy in the account's settings, and only once); never
// with --no-signature; and --json says whether it was signed.
func TestReplySignature(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no keyring: the bot token goes to the 0600 file
	const token = "123456789:AAHreplySignature"
	srv := fakebot.New(token)
	defer srv.Close()
	dir := t.TempDir()
	ctx := context.Background()
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(ctx, append([]string{"--data", dir}, args...), strings.NewReader(stdin), &out, &errb, nil)
		return code, out.String(), errb.String()
	}
	reply := func(conv, text string, extra ...string) replyResult {
		t.Helper()
		code, out, stderr := run(text, append([]string{"reply", conv, "--body-file", "-", "--json"}, extra...)...)
		if code != ExitOK {
			t.Fatalf("reply %v: exit %d: %s", extra, code, stderr)
		}
		var r replyResult
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("reply --json: %v: %s", err, out)
		}
		if !strings.Contains(out, `"signed": `) {
			t.Errorf("reply --json lacks \"signed\": %s", out)
		}
		return r
	}
	if code, _, stderr := run(token+"\n", "account", "add", "telegram", "--name", "Shop bot", "--token-stdin", "--api-url", srv.URL); code != ExitOK {
		t.Fatalf("account add: %s", stderr)
	}
	srv.Text(fakebot.User{ID: 4242, FirstName: "Ana"}, "Is the blue teapot back?")
	if code, _, stderr := run("", "sync", "--once"); code != ExitOK {
		t.Fatalf("sync: %s", stderr)
	}

	st, err := store.Open(ctx, store.Path(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	convs, err := st.Conversations(ctx, store.ListFilter{})
	if err != nil || len(convs) != 1 {
		t.Fatalf("conversations: %d, %v", len(convs), err)
	}
	tgConv := convs[0]
	// No signature yet: the text goes as written.
	st.Close()
	if r := reply(tgConv.ID, "Yes, since Monday."); r.Signed || r.State != "sent" {
		t.Errorf("unsigned bot: got %+v", r)
	}
	st, _ = store.Open(ctx, store.Path(dir), nil)
	if err := st.SetSignature(ctx, tgConv.AccountID, "— Sam, Bluebird Bikes\n"); err != nil {
		t.Fatal(err)
	}
	// An email account whose settings hold an older signature than the
	// one set since in Settings → Signatures.
	cfg := email.Config{Address: "hello@shop.example", IMAPHost: "127.0.0.1", IMAPPort: 1, IMAPSecurity: email.None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: email.None, User: "hello@shop.example", Signature: "Old signature"}
	mail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: cfg.Address, Config: cfg.JSON()}
	if err := st.CreateAccount(ctx, &mail); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSignature(ctx, mail.ID, "Sam\r\nBluebird Bikes"); err != nil {
		t.Fatal(err)
	}
	mailConv := emailConversationIn(t, st, mail)
	st.Close()

	if r := reply(tgConv.ID, "It is back in blue and green.\n"); !r.Signed || r.State != "sent" {
		t.Errorf("signed bot: got %+v", r)
	}
	if r := reply(tgConv.ID, "Thanks!", "--no-signature"); r.Signed {
		t.Errorf("--no-signature: got %+v", r)
	}
	var texts []string
	for _, s := range srv.Sent() {
		if s.Method == "sendMessage" {
			texts = append(texts, s.Text)
		}
	}
	want := []string{"Yes, since Monday.", "It is back in blue and green.\n\n— Sam, Bluebird Bikes", "Thanks!"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("sent on Telegram: got %q, want %q", texts, want)
	}

	// Email, only queued (its servers are unreachable): the text under
	// "-- " once, the signatures table's; none with --no-signature.
	signed := reply(mailConv, "The wheel fits.", "--queue")
	plain := reply(mailConv, "No signature here.", "--queue", "--no-signature")
	if !signed.Signed || plain.Signed || signed.State != "queued" {
		t.Errorf("email: got %+v and %+v", signed, plain)
	}
	st, _ = store.Open(ctx, store.Path(dir), nil)
	defer st.Close()
	msgs, _ := st.Messages(ctx, mailConv)
	got := map[string]string{}
	for _, m := range msgs {
		got[m.ID] = strings.ReplaceAll(m.Text, "\r\n", "\n")
	}
	if txt := got[signed.Message]; !strings.HasPrefix(txt, "The wheel fits.\n\n-- \nSam\nBluebird Bikes") || strings.Count(txt, "-- ") != 1 || strings.Contains(txt, "Old signature") {
		t.Errorf("signed email text: got %q", txt)
	}
	if txt := got[plain.Message]; strings.Contains(txt, "-- ") || strings.Contains(txt, "Bluebird") || strings.Contains(txt, "Old signature") {
		t.Errorf("--no-signature email text: got %q", txt)
	}
}

// emailConversationIn files one customer email to acct and returns its
// conversation.
func emailConversationIn(t *testing.T, st *store.Store, acct inbox.Account) string {
	t.Helper()
	ctx := context.Background()
	var id string
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		contact, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "ann@customer.example", "Ann")
		if err != nil {
			return err
		}
		c := inbox.Conversation{AccountID: acct.ID, ContactID: contact, Channel: inbox.ChannelEmail, Subject: "Wheel size", Status: inbox.StatusOpen, CreatedAt: time.Now()}
		if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
			return err
		}
		m := inbox.Message{ConversationID: c.ID, AccountID: acct.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
			From: inbox.Address{Name: "Ann", Address: "ann@customer.example"}, To: []inbox.Address{{Address: acct.Address}},
			Subject: "Wheel size", Text: "Does a 28\" wheel fit?", MessageID: "<w1@customer.example>", Date: time.Now().Add(-time.Hour)}
		if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
			return err
		}
		id = c.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
