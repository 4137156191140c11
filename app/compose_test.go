package app

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

// emailConversation makes an email account whose servers refuse every
// connection (a closed loopback port) and a conversation with one customer
// message that Cc'd a colleague.
func emailConversation(t *testing.T, a *Inbox) (inbox.Account, string) {
	t.Helper()
	ctx := context.Background()
	st := a.ws.Store
	cfg := email.Config{Address: "hello@shop.example", IMAPHost: "127.0.0.1", IMAPPort: 1, IMAPSecurity: email.None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: email.None, User: "hello@shop.example", Signature: "Bluebird Bikes"}
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: cfg.Address, Config: cfg.JSON()}
	if err := st.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	var convID string
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		contact, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "ann@customer.example", "Ann")
		if err != nil {
			return err
		}
		c := inbox.Conversation{AccountID: acct.ID, ContactID: contact, Channel: inbox.ChannelEmail, Subject: "Brakes", Status: inbox.StatusOpen, CreatedAt: time.Now()}
		if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
			return err
		}
		m := inbox.Message{ConversationID: c.ID, AccountID: acct.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
			From: inbox.Address{Name: "Ann", Address: "ann@customer.example"},
			To:   []inbox.Address{{Address: "hello@shop.example"}}, Cc: []inbox.Address{{Name: "Tom", Address: "tom@customer.example"}},
			Subject: "Brakes", Text: "My brakes squeak.", MessageID: "<q1@customer.example>", Date: time.Now().Add(-time.Hour)}
		if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
			return err
		}
		convID = c.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return acct, convID
}

func TestComposeDefaults(t *testing.T) {
	a, _ := newInbox(t)
	_, conv := emailConversation(t, a)
	cases := []struct {
		mode, to, cc, subject string
	}{
		{ModeReply, "Ann <ann@customer.example>", "", "Re: Brakes"},
		{ModeReplyAll, "Ann <ann@customer.example>", "Tom <tom@customer.example>", "Re: Brakes"},
		{ModeForward, "", "", "Fwd: Brakes"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			v, err := a.ComposeDefaults(conv, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(v.To, ","); got != tc.to {
				t.Errorf("To: got %q, want %q", got, tc.to)
			}
			if got := strings.Join(v.Cc, ","); got != tc.cc {
				t.Errorf("Cc: got %q, want %q", got, tc.cc)
			}
			if v.Subject != tc.subject || v.From != "hello@shop.example" || v.Signature != "Bluebird Bikes" || !v.Recipients {
				t.Errorf("got subject %q from %q signature %q recipients %v", v.Subject, v.From, v.Signature, v.Recipients)
			}
		})
	}
	if v, _ := a.ComposeDefaults(conv, ModeForward); !strings.Contains(v.Body, "My brakes squeak.") {
		t.Errorf("forward body: got %q, want the original quoted", v.Body)
	}
	if _, err := a.ComposeDefaults(conv, "shout"); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("unknown mode: got %v, want ErrInvalid", err)
	}
	if v, err := a.ComposeDefaults("", ModeNew); err != nil || v.AccountName != "Shop" {
		t.Errorf("new: got %+v, %v", v, err)
	}
}

func TestSendQueuesFirstAndNeverPretends(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	a, _ := newInbox(t)
	_, conv := emailConversation(t, a)

	if _, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: conv, To: []string{"not an address"}, Body: "x"}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("bad To: got %v, want ErrInvalid", err)
	}
	if _, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: conv, To: []string{"ann@customer.example"}, Body: "  "}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("empty body: got %v, want ErrInvalid", err)
	}
	if _, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: conv, Body: "hi"}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("no recipient: got %v, want ErrInvalid", err)
	}

	// The composer writes the signature into the text (see signatures.go).
	v, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: conv, To: []string{"Ann <ann@customer.example>"},
		Bcc: []string{"boss@shop.example"}, Body: "New pads fixed it?\n\n-- \nBluebird Bikes"})
	if err != nil {
		t.Fatal(err)
	}
	if v.State != string(inbox.OutboxQueued) || v.ConversationID != conv || v.OutboxID == "" {
		t.Fatalf("after Send: got %+v, want queued in the same conversation", v)
	}
	th, err := a.Thread(conv)
	if err != nil {
		t.Fatal(err)
	}
	last := th.Messages[len(th.Messages)-1]
	if last.Direction != "out" || !strings.Contains(last.Text, "New pads fixed it?") || !strings.Contains(last.Text, "Bluebird Bikes") {
		t.Errorf("the copy in the conversation: got %+v", last)
	}
	// The servers refuse: the message stays queued with the reason, never sent.
	var ov OutboxView
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		states, err := a.Outbox(conv)
		if err != nil {
			t.Fatal(err)
		}
		if ov = states[v.MessageID]; ov.Error != "" {
			break
		}
	}
	if ov.State == string(inbox.OutboxSent) || ov.Error == "" {
		t.Errorf("outbox after a refused connection: got %+v, want not sent, with the error", ov)
	}
}

func TestSendRefusesInTheDemo(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	list, err := a.Conversations(workspace.ListOptions{Status: "all", Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	_, err = a.Send(SendRequest{Mode: ModeReply, ConversationID: list[0].ID, To: []string{"a@b.example"}, Body: "hi"})
	if !errors.Is(err, inbox.ErrNotAvailable) {
		t.Errorf("demo send: got %v, want ErrNotAvailable", err)
	}
}
