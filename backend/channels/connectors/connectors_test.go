package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"tidings/backend/channels/telegram"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

type oneSecret string

func (s oneSecret) Get(string) (string, error) { return string(s), nil }
func (s oneSecret) Set(string, string) error   { return fmt.Errorf("read-only") }
func (s oneSecret) Delete(string) error        { return nil }

func TestSyncOnceDispatchesByChannel(t *testing.T) {
	ctx := context.Background()
	const token = "1:AAconnectors"
	srv := fakebot.New(token)
	defer srv.Close()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg, _ := json.Marshal(telegram.Config{APIURL: srv.URL})
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: "bot", Config: cfg}
	st.CreateAccount(ctx, &acct)
	srv.Text(fakebot.User{ID: 9, FirstName: "Zé"}, "olá")
	res, err := SyncOnce(ctx, st, acct, oneSecret(token))
	if err != nil || res.Stored != 1 {
		t.Fatalf("sync: %+v, %v; want 1 stored", res, err)
	}
	if _, err := SyncOnce(ctx, st, inbox.Account{Channel: inbox.ChannelSMS}, oneSecret("")); !errors.Is(err, inbox.ErrNotAvailable) {
		t.Errorf("sms: %v, want not available", err)
	}
	if !Chat(inbox.ChannelTelegram) || Chat(inbox.ChannelEmail) {
		t.Error("Chat: want telegram yes, email no")
	}
}
