package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

func TestSignaturesPerAccount(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	a, _ := newInbox(t)
	mail, conv := emailConversation(t, a) // its settings hold the old signature "Bluebird Bikes"
	tg := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Address: "@shopbot"}
	if err := a.ws.Store.CreateAccount(context.Background(), &tg); err != nil {
		t.Fatal(err)
	}

	list, err := a.Signatures()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range list {
		got[s.AccountName] = s.Signature
	}
	if got["Shop"] != "Bluebird Bikes" || got["Shop bot"] != "" || len(list) != 2 {
		t.Fatalf("signatures before: got %v, want the email account's old one and none for the bot", got)
	}

	if err := a.SetSignature(mail.ID, "Sam\r\nBluebird Bikes · 01234\n\n"); err != nil {
		t.Fatal(err)
	}
	v, err := a.ComposeDefaults(conv, ModeReply)
	if err != nil {
		t.Fatal(err)
	}
	if v.Signature != "Sam\nBluebird Bikes · 01234" {
		t.Errorf("compose signature: got %q, want the new one, trimmed, with \\n", v.Signature)
	}
	// The account's settings keep a copy for mail written elsewhere
	// (`tidings reply`), the new one.
	acct, _ := a.ws.Store.Account(context.Background(), mail.ID)
	if cfg, _ := email.ParseConfig(acct.Config); cfg.Signature != "Sam\nBluebird Bikes · 01234" || cfg.Address != "hello@shop.example" {
		t.Errorf("account settings after: got signature %q address %q, want the new one and the address kept", cfg.Signature, cfg.Address)
	}
	sent, err := a.Send(SendRequest{Mode: ModeReply, ConversationID: conv, To: v.To, Body: "Fixed.\n\n-- \n" + v.Signature})
	if err != nil {
		t.Fatal(err)
	}
	th, _ := a.Thread(sent.ConversationID)
	last := th.Messages[len(th.Messages)-1].Text
	if strings.Count(last, "-- ") != 1 || strings.Contains(last, "\nBluebird Bikes\n") || !strings.Contains(last, "Bluebird Bikes · 01234") {
		t.Errorf("sent text: got %q, want one signature, the new one", last)
	}
	// The user took the signature out of this one: none is added.
	sent, err = a.Send(SendRequest{Mode: ModeReply, ConversationID: conv, To: v.To, Body: "Quick note, no signature."})
	if err != nil {
		t.Fatal(err)
	}
	th, _ = a.Thread(sent.ConversationID)
	if last = th.Messages[len(th.Messages)-1].Text; strings.Contains(last, "Bluebird") {
		t.Errorf("sent without signature: got %q", last)
	}

	// The bot answers with none until one is set.
	if err := a.SetSignature(tg.ID, "— Bluebird Bikes"); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.signatureFor(tg); s != "— Bluebird Bikes" {
		t.Errorf("bot signature: got %q", s)
	}
	if err := a.SetSignature(mail.ID, "  "); err != nil {
		t.Fatal(err)
	}
	if v, _ := a.ComposeDefaults(conv, ModeReply); v.Signature != "" {
		t.Errorf("after removing: got %q, want none (the old one must not come back)", v.Signature)
	}
	acct, _ = a.ws.Store.Account(context.Background(), mail.ID)
	if cfg, _ := email.ParseConfig(acct.Config); cfg.Signature != "" {
		t.Errorf("settings after removing: got %q, want none", cfg.Signature)
	}
	if err := a.SetSignature("acc_missing", "x"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown account: got %v, want ErrNotFound", err)
	}
	if err := a.SetSignature(mail.ID, strings.Repeat("x", 5000)); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("huge signature: got %v, want ErrInvalid", err)
	}
}
