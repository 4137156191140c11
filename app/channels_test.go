package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/snippet"
	"tidings/backend/store"
	"tidings/backend/workspace"
)

type secretMap struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *secretMap) Get(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[id]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no secret: %w", inbox.ErrNotFound)
}
func (s *secretMap) Set(id, v string) error { s.mu.Lock(); s.m[id] = v; s.mu.Unlock(); return nil }
func (s *secretMap) Delete(id string) error { s.mu.Lock(); delete(s.m, id); s.mu.Unlock(); return nil }

// events forwards emitted events to a channel.
type events chan string

func (e events) Emit(name string, data ...any) {
	select {
	case e <- name:
	default:
	}
}

func TestChannelsEndToEnd(t *testing.T) {
	const token = "123456789:AAHappTEST"
	srv := fakebot.New(token)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	cfg, _ := json.Marshal(telegram.Config{APIURL: srv.URL, BotUsername: "shop_bot"})
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Address: "@shop_bot", Config: cfg}
	if err := ws.Store.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	mail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: "hello@shop.example"}
	ws.Store.CreateAccount(ctx, &mail)
	ev := make(events, 64)
	c := NewChannels(ws, ev, &secretMap{m: map[string]string{telegram.TokenKey(acct.ID): token}})
	byEmail := inbox.Contact{Name: "Ana", Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: "ana@example.com"}}}
	ws.Store.CreateContact(ctx, &byEmail)

	c.Startup(ctx)
	defer c.Shutdown()
	ana := fakebot.User{ID: 4242, FirstName: "Ana"}
	srv.Text(ana, "Hi, it's ana@example.com, where is my order?")
	for e := range ev {
		if e == EventChanged {
			break
		}
	}
	h := c.Health()
	if len(h) != 1 || h[0].State != channels.StateConnected {
		t.Errorf("health = %+v, want one connected account", h)
	}
	convs, _ := ws.Store.Conversations(ctx, storeFilter(acct.ID))
	if len(convs) != 1 {
		t.Fatalf("%d conversations, want 1", len(convs))
	}
	conv := convs[0]
	ms, _ := ws.Store.Messages(ctx, conv.ID)
	d, err := c.SendChatReply(conv.ID, "On its way!", ms[0].ID)
	if err != nil || d.State != "sent" {
		t.Fatalf("reply: %+v, %v", d, err)
	}
	srv.Block(ana.ID)
	d, err = c.SendChatReply(conv.ID, "Tracking number: 123", "")
	if err != nil || d.State != "failed" || !strings.Contains(d.Error, "blocked") {
		t.Errorf("reply to a blocked bot: %+v, %v; want a failed delivery naming the block", d, err)
	}
	ds, _ := c.Deliveries(conv.ID)
	if len(ds) != 2 {
		t.Errorf("%d deliveries, want 2", len(ds))
	}
	sugs, err := c.Suggestions()
	if err != nil || len(sugs) != 1 || sugs[0].Reason != "claimed" {
		t.Fatalf("suggestions = %+v, %v", sugs, err)
	}
	mergeID, err := c.AcceptMerge(sugs[0].ID, byEmail.ID)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.ReplyOptions(conv.ID)
	if err != nil || len(opts) != 2 || !opts[0].Default || opts[0].Channel != inbox.ChannelTelegram || opts[1].Channel != inbox.ChannelEmail {
		t.Errorf("reply options after the merge = %+v, %v; want Telegram (default) and email", opts, err)
	}
	if _, err := c.UndoMerge(mergeID); err != nil {
		t.Fatal(err)
	}
	o, err := c.SnippetDefaults()
	if err != nil || o.Telegram != "shop_bot" || o.Email != "hello@shop.example" {
		t.Errorf("snippet defaults = %+v, %v", o, err)
	}
	s, err := c.ContactSnippet(snippet.Options{Telegram: o.Telegram, Email: o.Email})
	if err != nil || !strings.Contains(s.HTML, "https://t.me/shop_bot") {
		t.Errorf("snippet: %v\n%s", err, s.HTML)
	}
	cancel()
	c.Shutdown()
	if h := c.Health(); h[0].State != channels.StateStopped {
		t.Errorf("after shutdown the loop is %s, want stopped", h[0].State)
	}
}

func storeFilter(accountID string) store.ListFilter { return store.ListFilter{AccountID: accountID} }

func TestRevokedTokenStopsThenReconnects(t *testing.T) {
	const token = "123456789:AAHold"
	srv := fakebot.New("123456789:AAHrevokedAlready")
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	cfg, _ := json.Marshal(telegram.Config{APIURL: srv.URL})
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Config: cfg}
	ws.Store.CreateAccount(ctx, &acct)
	sec := &secretMap{m: map[string]string{telegram.TokenKey(acct.ID): token}}
	ev := make(events, 256)
	c := NewChannels(ws, ev, sec)
	c.Startup(ctx)
	defer c.Shutdown()
	waitState := func(want channels.State) channels.Health {
		for range ev {
			if h := c.Health(); len(h) == 1 && h[0].State == want {
				return h[0]
			}
		}
		return channels.Health{}
	}
	h := waitState(channels.StateStopped)
	if !strings.Contains(h.LastError, "401") || !strings.Contains(h.Hint, "@BotFather") {
		t.Errorf("health = %+v, want the 401 and what to do", h)
	}
	a, _ := ws.Store.Account(ctx, acct.ID)
	if !strings.Contains(a.LastError, "@BotFather") {
		t.Errorf("account error = %q, want the hint kept for the account list", a.LastError)
	}
	sec.Set(telegram.TokenKey(acct.ID), "123456789:AAHrevokedAlready")
	if err := c.Reconnect(acct.ID); err != nil {
		t.Fatal(err)
	}
	waitState(channels.StateConnected)
	a, _ = ws.Store.Account(ctx, acct.ID)
	if a.LastError != "" {
		t.Errorf("account error %q stayed after reconnecting", a.LastError)
	}
}
