package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// TestAddOAuthAccountFromTheWindow: the account form's OAuth2 sign-in opens
// the provider's page (here a fake authorization server that Dovecot and
// the SMTP server trust), tests IMAP and SMTP with the token, and keeps the
// token in the secret store only. Without a client ID it says what to do.
func TestAddOAuthAccountFromTheWindow(t *testing.T) {
	const user = "owner@shop.example"
	as := dovetest.StartOAuth(t, "window-client-id", user)
	dove := dovetest.StartWith(t, dovetest.Options{Users: map[string]string{user: "unused"}, IntrospectURL: as.URL + "/introspect"})
	smtpSrv := dovetest.StartSMTP(t, user, "unused")
	smtpSrv.CheckToken = as.Valid
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	sec := secrets.Open(dir, &secrets.Options{NoKeyring: true})
	e := NewEmail(ws, &nameRecorder{}, sec, nil)
	e.ctx = ctx
	e.OnAccountAdded = func(string) {}
	var opened []string
	old := openInBrowser
	SetBrowserOpener(func(u string) error {
		opened = append(opened, u)
		resp, err := http.Get(u) // the browser follows the consent redirect
		if err == nil {
			resp.Body.Close()
		}
		return err
	})
	t.Cleanup(func() { openInBrowser = old })

	ih, ip, _ := net.SplitHostPort(dove.Addr)
	sh, sp, _ := net.SplitHostPort(smtpSrv.Addr)
	ipn, _ := strconv.Atoi(ip)
	spn, _ := strconv.Atoi(sp)
	form := syncer.AccountForm{Name: "Shop", Address: user, IMAPHost: ih, IMAPPort: ipn, SMTPHost: sh, SMTPPort: spn, Security: "none"}

	if _, err := e.AddOAuthAccount(form, OAuthChoice{Provider: "google"}); !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "client ID") {
		t.Errorf("without a client ID: got %v, want it asked for", err)
	}
	added, err := e.AddOAuthAccount(form, OAuthChoice{Provider: "custom", ClientID: "window-client-id", AuthURL: as.URL + "/authorize", TokenURL: as.URL + "/token", Scopes: "mail"})
	if err != nil {
		t.Fatal(err)
	}
	if len(opened) != 1 || !strings.Contains(opened[0], "code_challenge_method=S256") || !strings.Contains(opened[0], "client_id=window-client-id") {
		t.Errorf("opened %q, want one PKCE sign-in page for the user's client ID", opened)
	}
	if added.Config.Auth != "oauth2" || added.Config.OAuth == nil || added.Config.OAuth.ClientID != "window-client-id" {
		t.Errorf("settings: %+v, want OAuth2 with the user's client ID", added.Config)
	}
	if tok, err := sec.Get(secrets.TokenKey(added.ID)); err != nil || !strings.Contains(tok, "access_token") {
		t.Errorf("token in the secret store: %v", err)
	}
	if _, err := sec.Get(secrets.PasswordKey(added.ID)); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("a password was kept: %v", err)
	}
	acct, err := ws.Store.Account(ctx, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(acct.Config), "access_token") || strings.Contains(string(acct.Config), "refresh") {
		t.Errorf("the account settings hold the token: %s", acct.Config)
	}
}
