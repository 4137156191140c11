package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// memSecrets is an in-memory secret store.
type memSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memSecrets) Get(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[id]
	if !ok {
		return "", fmt.Errorf("no secret for %s: %w", id, inbox.ErrNotFound)
	}
	return v, nil
}

func (s *memSecrets) Set(id, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[id] = v
	return nil
}

func (s *memSecrets) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}

// env is a fake Bot API, a real SQLite store and a Telegram account.
type env struct {
	srv     *fakebot.Server
	st      *store.Store
	acct    inbox.Account
	secrets *memSecrets
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	srv := fakebot.New(testToken)
	t.Cleanup(srv.Close)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "tidings.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg, _ := json.Marshal(Config{APIURL: srv.URL, BotUsername: "shop_bot"})
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Address: "@shop_bot", Config: cfg}
	if err := st.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	sec := &memSecrets{}
	sec.Set(TokenKey(acct.ID), testToken)
	return &env{srv: srv, st: st, acct: acct, secrets: sec}
}

func (e *env) sync(t testing.TB) SyncResult {
	t.Helper()
	res, err := SyncOnce(context.Background(), e.st, e.acct, e.secrets, nil)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

// connector returns a connector for the env's account, without long polling.
func (e *env) connector() *Connector {
	return New(Options{Token: testToken, AccountID: e.acct.ID, BaseURL: e.srv.URL})
}

func (e *env) convs(t *testing.T) []inbox.Summary {
	t.Helper()
	cs, err := e.st.Conversations(context.Background(), store.ListFilter{AccountID: e.acct.ID})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func (e *env) messages(t *testing.T, convID string) []inbox.Message {
	t.Helper()
	ms, err := e.st.Messages(context.Background(), convID)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}
