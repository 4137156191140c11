package telegram

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels"
)

func runtimeGosched() { runtime.Gosched(); time.Sleep(time.Millisecond) }

func TestRevokedTokenIsPermanentWithWhatToDo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.SetToken("123456789:AAnewTOKEN")
	_, err := SyncOnce(ctx, e.st, e.acct, e.secrets, nil)
	if !channels.IsPermanent(err) {
		t.Fatalf("revoked token: %v (kind %s), want permanent", err, channels.KindOf(err))
	}
	acct, _ := e.st.Account(ctx, e.acct.ID)
	if !strings.Contains(acct.LastError, "401") || !strings.Contains(acct.LastError, "@BotFather") {
		t.Errorf("account error = %q, want the 401 and what to do", acct.LastError)
	}
	if strings.Contains(acct.LastError, testToken) {
		t.Error("the token leaked into the account's error")
	}
}

func TestMistypedTokenNeverReachesTheNetwork(t *testing.T) {
	e := newEnv(t)
	e.secrets.Set(TokenKey(e.acct.ID), "not a token")
	_, err := SyncOnce(context.Background(), e.st, e.acct, e.secrets, nil)
	if !channels.IsPermanent(err) || channels.HintOf(err) == "" {
		t.Fatalf("mistyped token: %v, want permanent with a hint", err)
	}
	if n := e.srv.Calls("getMe"); n != 0 {
		t.Errorf("getMe called %d times with a malformed token, want 0", n)
	}
}

func TestMissingTokenIsPermanent(t *testing.T) {
	e := newEnv(t)
	e.secrets.Delete(TokenKey(e.acct.ID))
	_, err := SyncOnce(context.Background(), e.st, e.acct, e.secrets, nil)
	if !channels.IsPermanent(err) || !strings.Contains(channels.HintOf(err), "keyring") {
		t.Fatalf("missing token: %v, want permanent naming the keyring", err)
	}
}

func TestRateLimitCarriesRetryAfter(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail("getUpdates", 429, "Too Many Requests: retry after 7", 7)
	_, err := e.connector().Receive(context.Background(), map[string]string{})
	if !channels.IsTemporary(err) || channels.RetryAfterOf(err) != 7*time.Second {
		t.Fatalf("429: %v (retry after %s), want temporary with 7s", err, channels.RetryAfterOf(err))
	}
	e.srv.Fail("getUpdates", 502, "Bad Gateway", 0)
	if _, err := e.connector().Receive(context.Background(), nil); !channels.IsTemporary(err) {
		t.Fatalf("502: %v, want temporary", err)
	}
}

func TestSecondPollerConflictIsReported(t *testing.T) {
	e := newEnv(t)
	e.srv.MaxWait = 60 * time.Second
	first := New(Options{Token: testToken, AccountID: e.acct.ID, BaseURL: e.srv.URL, PollTimeout: 30 * time.Second})
	errc := make(chan error, 1)
	go func() {
		_, err := first.Receive(context.Background(), nil)
		errc <- err
	}()
	waitPolling(t, e.srv)
	// Another program polls the same bot: the waiting poll is terminated.
	second := New(Options{Token: testToken, AccountID: e.acct.ID, BaseURL: e.srv.URL})
	if _, err := second.Receive(context.Background(), nil); err != nil {
		t.Fatalf("second poller: %v", err)
	}
	err := <-errc
	if err == nil || !strings.Contains(err.Error(), "409") || !strings.Contains(err.Error(), "terminated by other getUpdates") {
		t.Fatalf("first poller got %v, want the 409 conflict", err)
	}
	if !channels.IsTemporary(err) || !strings.Contains(channels.HintOf(err), "another program") {
		t.Errorf("conflict: kind %s, hint %q; want temporary and a hint naming another program", channels.KindOf(err), channels.HintOf(err))
	}
}

func TestWebhookConflictIsPermanent(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWebhook("https://example.com/hook")
	_, err := e.connector().Receive(context.Background(), nil)
	if !channels.IsPermanent(err) || !strings.Contains(channels.HintOf(err), "webhook") {
		t.Fatalf("webhook set: %v, want permanent naming the webhook", err)
	}
}
