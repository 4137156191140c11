package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// TestSignInAccountWithOAuth2 connects a mailbox from the window's form
// with OAuth2 against the fake authorization server (loopback redirect,
// PKCE) that a real Dovecot and the go-smtp server also trust: the
// "browser" follows the page the window was given (EventOAuthURL), the
// account is saved with its token in the secret store, and a sync with that
// token fetches the mail. Then the failures the form tells apart: an
// unknown client ID (the provider shows an error page and never comes
// back), a client the token endpoint refuses, and a cancelled sign-in; none
// saves anything.
func TestSignInAccountWithOAuth2(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	const user, client = "owner@shop.example", "owner-client-id"
	as := dovetest.StartOAuth(t, client, user)
	dove := dovetest.StartWith(t, dovetest.Options{Users: map[string]string{user: "unused-password"}, IntrospectURL: as.URL + "/introspect"})
	smtpSrv := dovetest.StartSMTP(t, user, "unused-password")
	smtpSrv.CheckToken = as.Valid
	if err := dove.Deliver(user, "INBOX", [][]byte{[]byte("From: Ann <ann@example.com>\r\nSubject: Hi\r\nMessage-ID: <a@x>\r\n\r\nHello\r\n")}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	sec := secrets.Open(dir, &secrets.Options{NoKeyring: true})
	rec := &nameRecorder{}
	e := NewEmail(ws, rec, sec, nil)
	e.Startup(ctx)
	defer e.Shutdown()
	var started []string
	e.OnAccountAdded = func(id string) { started = append(started, id) }

	// The system browser: follows the page, or does nothing (the user
	// looks away), or the test's own step.
	var browse func(u string) error
	old := openInBrowser
	SetBrowserOpener(func(u string) error { return browse(u) })
	defer SetBrowserOpener(old)
	follow := func(u string) error {
		go func() {
			resp, err := http.Get(u)
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	ih, ip, _ := net.SplitHostPort(dove.Addr)
	sh, sp, _ := net.SplitHostPort(smtpSrv.Addr)
	ipn, _ := strconv.Atoi(ip)
	spn, _ := strconv.Atoi(sp)
	form := func(name string) syncer.AccountForm {
		return syncer.AccountForm{Name: name, Address: user, IMAPHost: ih, IMAPPort: ipn, SMTPHost: sh, SMTPPort: spn, Security: "none"}
	}
	custom := OAuthForm{Provider: "custom", ClientID: client, AuthURL: as.URL + "/authorize", TokenURL: as.URL + "/token", Scopes: "mail offline_access"}
	noAccounts := func(what string) {
		t.Helper()
		if accts, _ := ws.Store.Accounts(ctx); len(accts) != 0 {
			t.Errorf("%s: %d accounts saved, want none", what, len(accts))
		}
	}

	// An unknown client ID: the provider says so on its page (RFC 6749
	// 4.1.2.1) and never redirects; the wait ends with a hint.
	e.oauth.timeout = 1500 * time.Millisecond
	browse = follow
	wrong := custom
	wrong.ClientID = "not-registered"
	_, err = e.SignInAccount(form("Shop"), wrong)
	if !errors.Is(err, email.ErrSignInTimeout) || !strings.Contains(err.Error(), "check the client ID") {
		t.Errorf("unknown client: got %v, want a timeout that says to check the client ID", err)
	}
	noAccounts("unknown client")

	// The token endpoint refuses the client (a wrong secret, another
	// registration).
	other := dovetest.StartOAuth(t, "someone-else", user)
	refused := custom
	refused.TokenURL = other.URL + "/token"
	_, err = e.SignInAccount(form("Shop"), refused)
	if err == nil || !strings.Contains(err.Error(), "does not accept this client (invalid_client") {
		t.Errorf("refused client: got %v, want invalid_client named", err)
	}
	noAccounts("refused client")

	// Cancelled from the form while the browser is open.
	e.oauth.timeout = 0
	browse = func(string) error {
		go func() {
			time.Sleep(100 * time.Millisecond)
			e.CancelSignIn()
		}()
		return nil
	}
	_, err = e.SignInAccount(form("Shop"), custom)
	if !errors.Is(err, ErrSignInCancelled) {
		t.Errorf("cancelled: got %v, want ErrSignInCancelled", err)
	}
	noAccounts("cancelled")

	// No client ID, or a provider Tidings does not know: said before any
	// browser opens.
	urls := rec.count(EventOAuthURL)
	if _, err := e.SignInAccount(form("Shop"), OAuthForm{Provider: "google"}); err == nil || !strings.Contains(err.Error(), "needs your client ID") {
		t.Errorf("no client ID: got %v", err)
	}
	if _, err := e.SignInAccount(form("Shop"), OAuthForm{Provider: "yahoo", ClientID: "x"}); err == nil || !strings.Contains(err.Error(), "google, microsoft or custom") {
		t.Errorf("unknown provider: got %v", err)
	}
	if rec.count(EventOAuthURL) != urls {
		t.Errorf("a sign-in page was opened for a form that was refused")
	}

	// Signed in: saved, token in the secret store, mail syncs with it.
	browse = follow
	added, err := e.SignInAccount(form("Shop"), custom)
	if err != nil {
		t.Fatal(err)
	}
	if added.Name != "Shop" || added.Config.Auth != "oauth2" || len(added.Folders) == 0 || len(started) != 1 || started[0] != added.ID {
		t.Fatalf("added: got %+v (started %v)", added, started)
	}
	if rec.count(EventOAuthURL) != urls+1 {
		t.Errorf("EventOAuthURL sent %d times for one sign-in, want 1", rec.count(EventOAuthURL)-urls)
	}
	if tok, err := sec.Get(secrets.TokenKey(added.ID)); err != nil || !strings.Contains(tok, "access_token") {
		t.Fatalf("token in the secret store: %v", err)
	}
	acct, err := ws.Store.Account(ctx, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(acct.Config), "access_token") || strings.Contains(string(acct.Config), "refresh_token") {
		t.Errorf("the account settings hold a token: %s", acct.Config)
	}
	rep, err := syncer.New(ws.Store, &syncer.Options{Secrets: sec}).SyncAccount(ctx, acct)
	if err != nil || rep.New() != 1 {
		t.Fatalf("sync with the token: %+v %v, want 1 new", rep, err)
	}
}
