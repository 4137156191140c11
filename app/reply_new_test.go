package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/store"
	"tidings/backend/workspace"
)

// TestReplyOptionsNewConversation: a Telegram customer who gave their email
// address can be answered by a new email (from the real email account, with
// the chat's first line as subject), and sending it files the new email
// conversation under the same contact; an email customer with a Telegram
// identity but no chat with the bot cannot be written to on Telegram, and
// says why.
func TestReplyOptionsNewConversation(t *testing.T) {
	const token = "123456789:AAHnewconvTEST"
	srv := fakebot.New(token)
	defer srv.Close()
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	cfg, _ := json.Marshal(telegram.Config{APIURL: srv.URL})
	bot := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Config: cfg}
	demoMail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Email (demo)", Address: "demo@shop.example", Config: []byte(`{"demo":true}`)}
	mail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: "hello@shop.example",
		Config: []byte(`{"address":"hello@shop.example","imap_host":"127.0.0.1","imap_port":1,"imap_security":"none","smtp_host":"127.0.0.1","smtp_port":1,"smtp_security":"none"}`)}
	for _, a := range []*inbox.Account{&bot, &demoMail, &mail} {
		if err := ws.Store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	sec := &secretMap{m: map[string]string{telegram.TokenKey(bot.ID): token, secrets.PasswordKey(mail.ID): "pw"}}
	srv.Send(fakebot.Msg{From: fakebot.User{ID: 77, FirstName: "Ola"}, Text: "\n  Do you ship to Oslo?\nMy email is ola@example.com"})
	if _, err := telegram.SyncOnce(ctx, ws.Store, bot, sec, nil); err != nil {
		t.Fatal(err)
	}
	chats, _ := ws.Store.Conversations(ctx, storeFilter(bot.ID))
	if len(chats) != 1 {
		t.Fatalf("%d chats, want 1", len(chats))
	}
	chat := chats[0]
	addIdentity(t, ws, chat.ContactID, inbox.ChannelEmail, "ola@example.com")
	c := NewChannels(ws, nil, sec)

	opts, err := c.ReplyOptions(chat.ID)
	if err != nil || len(opts) != 2 {
		t.Fatalf("options %+v, %v; want the chat and a new email", opts, err)
	}
	em := opts[1]
	if em.Channel != inbox.ChannelEmail || em.ConversationID != "" || em.AccountID != mail.ID || em.Address != "ola@example.com" {
		t.Errorf("new email option: got %+v, want a new conversation to ola@example.com from %s", em.ReplyOption, mail.Name)
	}
	if em.Problem != "" || em.Subject != "Do you ship to Oslo?" {
		t.Errorf("new email option: got problem %q subject %q, want none and the chat's first line", em.Problem, em.Subject)
	}
	if opts[0].ConversationID != chat.ID || !opts[0].Default {
		t.Errorf("first option %+v, want the chat, default", opts[0].ReplyOption)
	}

	// Sending it creates the email conversation under the same contact.
	a := New(ws, &recorder{})
	a.Startup(ctx)
	sent, err := a.Send(SendRequest{Mode: ModeNew, AccountID: em.AccountID, To: []string{em.Address}, Subject: em.Subject, Body: "Yes, we do."})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := ws.Store.Conversation(ctx, sent.ConversationID)
	if err != nil || conv.ContactID != chat.ContactID || conv.Channel != inbox.ChannelEmail {
		t.Fatalf("new conversation %+v, %v; want email under contact %s", conv, err, chat.ContactID)
	}
	all, _ := ws.Store.Conversations(ctx, store.ListFilter{ContactID: chat.ContactID})
	if len(all) != 2 {
		t.Errorf("the contact has %d conversations, want 2 (chat and email)", len(all))
	}
	opts, _ = c.ReplyOptions(chat.ID)
	if len(opts) != 2 || opts[1].ConversationID != conv.ID || opts[1].Subject != "" {
		t.Errorf("after sending: %+v, want the email option to be the new conversation", opts)
	}

	// An email customer with a Telegram identity the bot never heard from.
	var mailConv inbox.Conversation
	err = ws.Store.Tx(ctx, func(tx *sql.Tx) error {
		id, err := ws.Store.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "kari@example.com", "Kari")
		if err != nil {
			return err
		}
		mailConv = inbox.Conversation{AccountID: mail.ID, ContactID: id, Channel: inbox.ChannelEmail, Subject: "Order 42"}
		return ws.Store.CreateConversationTx(ctx, tx, &mailConv)
	})
	if err != nil {
		t.Fatal(err)
	}
	addIdentity(t, ws, mailConv.ContactID, inbox.ChannelTelegram, "9001")
	opts, err = c.ReplyOptions(mailConv.ID)
	if err != nil || len(opts) != 2 {
		t.Fatalf("options %+v, %v; want the email and Telegram", opts, err)
	}
	if tg := opts[1]; tg.Channel != inbox.ChannelTelegram || tg.ConversationID != "" || tg.Problem != noChatProblem {
		t.Errorf("telegram option %+v, want a new conversation refused with %q", tg, noChatProblem)
	}
	if got, _ := c.newSubject(mailConv.ID); got != "Re: Order 42" {
		t.Errorf("subject from an email conversation: got %q, want %q", got, "Re: Order 42")
	}

	// With only the demo's email account, a new email carries its reason.
	ws2, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws2.Close()
	bot2, demo2 := bot, demoMail
	bot2.ID, demo2.ID = "", ""
	for _, a := range []*inbox.Account{&bot2, &demo2} {
		if err := ws2.Store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	var chat2 inbox.Conversation
	err = ws2.Store.Tx(ctx, func(tx *sql.Tx) error {
		id, err := ws2.Store.ContactForIdentityTx(ctx, tx, inbox.ChannelTelegram, "77", "Ola")
		if err != nil {
			return err
		}
		chat2 = inbox.Conversation{AccountID: bot2.ID, ContactID: id, Channel: inbox.ChannelTelegram}
		return ws2.Store.CreateConversationTx(ctx, tx, &chat2)
	})
	if err != nil {
		t.Fatal(err)
	}
	addIdentity(t, ws2, chat2.ContactID, inbox.ChannelEmail, "ola@example.com")
	opts, err = NewChannels(ws2, nil, sec).ReplyOptions(chat2.ID)
	if err != nil || len(opts) != 2 || opts[1].AccountID != demo2.ID || opts[1].Problem != demoProblem {
		t.Errorf("demo email only: %+v, %v; want the new email refused with the demo's reason", opts, err)
	}
}

func addIdentity(t *testing.T, ws *workspace.Workspace, contactID string, ch inbox.Channel, addr string) {
	t.Helper()
	err := ws.Store.Tx(context.Background(), func(tx *sql.Tx) error {
		return ws.Store.AddIdentityTx(context.Background(), tx, &inbox.Identity{ContactID: contactID, Channel: ch, Address: addr})
	})
	if err != nil {
		t.Fatal(err)
	}
}
