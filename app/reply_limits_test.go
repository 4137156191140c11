package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/emailconn"
	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/workspace"
)

// TestReplyChoicesCarryLimits: each reply option carries its channel's
// limits in that conversation (a Business chat's 24-hour window and when it
// closed), email's through the registered email connector, and a chat
// account that cannot send says why.
func TestReplyChoicesCarryLimits(t *testing.T) {
	const token = "123456789:AAHlimitsTEST"
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
	mail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: "hello@shop.example",
		Config: []byte(`{"address":"hello@shop.example","imap_host":"127.0.0.1","imap_port":1,"imap_security":"none","smtp_host":"127.0.0.1","smtp_port":1,"smtp_security":"none"}`)}
	for _, a := range []*inbox.Account{&bot, &mail} {
		if err := ws.Store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	sec := &secretMap{m: map[string]string{telegram.TokenKey(bot.ID): token, secrets.PasswordKey(mail.ID): "pw"}}
	srv.Business("bc-1", fakebot.User{ID: 1, FirstName: "Owner"}, true)
	lastWrote := time.Now().Add(-27 * time.Hour).Truncate(time.Second)
	srv.Send(fakebot.Msg{Business: "bc-1", From: fakebot.User{ID: 50, FirstName: "Late"}, Text: "Open on Sunday? I'm late@example.com", Date: lastWrote})
	srv.Send(fakebot.Msg{From: fakebot.User{ID: 51, FirstName: "Direct"}, Text: "Hi bot"})
	if _, err := telegram.SyncOnce(ctx, ws.Store, bot, sec, nil); err != nil {
		t.Fatal(err)
	}
	conv := map[string]inbox.Summary{}
	cs, _ := ws.Store.Conversations(ctx, storeFilter(bot.ID))
	for _, c := range cs {
		conv[c.Contact.Name] = c
	}
	// Late also has an email address, with no email conversation yet.
	err = ws.Store.Tx(ctx, func(tx *sql.Tx) error {
		return ws.Store.AddIdentityTx(ctx, tx, &inbox.Identity{ContactID: conv["Late"].ContactID, Channel: inbox.ChannelEmail, Address: "late@example.com"})
	})
	if err != nil {
		t.Fatal(err)
	}
	c := NewChannels(ws, nil, sec)

	opts, err := c.ReplyOptions(conv["Late"].ID)
	if err != nil || len(opts) != 2 {
		t.Fatalf("options %+v, %v; want Telegram and email", opts, err)
	}
	tg, em := opts[0], opts[1]
	if tg.Channel != inbox.ChannelTelegram || tg.Capabilities.ReplyWindow != telegram.BusinessReplyWindow || tg.Capabilities.MaxTextLength != telegram.MaxTextLength {
		t.Errorf("business chat: %+v, want Telegram with a 24 h window and 4096 characters", tg)
	}
	if !tg.WindowClosesAt.Equal(lastWrote.Add(24 * time.Hour)) {
		t.Errorf("window closes at %s, want %s (the customer's last message + 24 h)", tg.WindowClosesAt, lastWrote.Add(24*time.Hour))
	}
	if em.Channel != inbox.ChannelEmail || em.ConversationID != "" || em.Capabilities.MaxUploadSize != emailconn.MaxUploadSize || !em.Capabilities.Threads || em.Problem != "" {
		t.Errorf("email option: %+v, want the email connector's limits and no problem", em)
	}

	opts, _ = c.ReplyOptions(conv["Direct"].ID)
	if len(opts) != 1 || opts[0].Capabilities.ReplyWindow != 0 || !opts[0].WindowClosesAt.IsZero() || opts[0].Problem != "" {
		t.Errorf("chat with the bot: %+v, want no window and no problem", opts)
	}
	demo := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Telegram (demo)", Config: []byte(`{"demo":true}`)}
	if err := ws.Store.CreateAccount(ctx, &demo); err != nil {
		t.Fatal(err)
	}
	demoConv := inbox.Conversation{AccountID: demo.ID, ContactID: conv["Direct"].ContactID, Channel: inbox.ChannelTelegram}
	if err := ws.Store.Tx(ctx, func(tx *sql.Tx) error { return ws.Store.CreateConversationTx(ctx, tx, &demoConv) }); err != nil {
		t.Fatal(err)
	}
	opts, _ = c.ReplyOptions(demoConv.ID)
	for _, o := range opts {
		if o.AccountID == demo.ID && !strings.Contains(o.Problem, "demo inbox does not send") {
			t.Errorf("demo account option %+v, want the demo's reason", o)
		}
	}
	sec.Delete(telegram.TokenKey(bot.ID))
	opts, _ = c.ReplyOptions(conv["Direct"].ID)
	if len(opts) != 2 || opts[0].AccountID != bot.ID || !strings.Contains(opts[0].Problem, "@BotFather") {
		t.Errorf("token missing: %+v, want a problem saying what to do", opts)
	}
}
