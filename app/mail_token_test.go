package app

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/workspace"
)

// TestMailWarnsBeforeTheSignInLapses: an OAuth2 account whose provider
// says the refresh token ends in three days syncs, and its status line in
// the window carries the warning with the date; one that ends in a year
// carries none.
func TestMailWarnsBeforeTheSignInLapses(t *testing.T) {
	for _, tc := range []struct {
		name string
		ttl  time.Duration
		want string
	}{
		{"lapses in three days", 72 * time.Hour, "expires on " + time.Now().Add(72*time.Hour).Format("2 Jan 2006")},
		{"lapses in a year", 365 * 24 * time.Hour, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newOAuthMailHarness(t, tc.ttl)
			h.start()
			h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
			got := h.state().Warning
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("warning: got %q, want %q", got, tc.want)
			}
			if tc.want != "" && !strings.HasPrefix(got, "Shop: ") {
				t.Errorf("warning %q does not name the account", got)
			}
		})
	}
}

// newOAuthMailHarness is newMailHarness for an account that signs in with
// OAuth2 (loopback + PKCE against a fake authorization server that Dovecot
// trusts), whose refresh token the provider says lasts ttl.
func newOAuthMailHarness(t *testing.T, ttl time.Duration) *mailHarness {
	t.Helper()
	h := &mailHarness{t: t, ctx: context.Background(), rec: &mailRecorder{}}
	as := dovetest.StartOAuth(t, "own-client-id", mailUser)
	as.RefreshTTL = ttl
	h.dove = dovetest.StartWith(t, dovetest.Options{Users: map[string]string{mailUser: "unused"}, IntrospectURL: as.URL + "/introspect"})
	p := email.OAuthProvider{Name: "Fake", AuthURL: as.URL + "/authorize", TokenURL: as.URL + "/token", Scopes: []string{"mail"}, ClientID: "own-client-id"}
	tok, err := email.Authorize(h.ctx, p, email.AuthorizeOptions{LoginHint: mailUser, Open: func(u string) error {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(h.ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	h.ws = ws
	host, port, _ := net.SplitHostPort(h.dove.Addr)
	pn, _ := strconv.Atoi(port)
	cfg := email.Config{Address: mailUser, IMAPHost: host, IMAPPort: pn, IMAPSecurity: email.None, SMTPHost: host, SMTPPort: 1,
		SMTPSecurity: email.None, Auth: "oauth2", OAuth: &p}
	h.acc = inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: mailUser, Config: cfg.JSON()}
	if err := ws.Store.CreateAccount(h.ctx, &h.acc); err != nil {
		t.Fatal(err)
	}
	h.sec = secrets.Open(ws.Dir, &secrets.Options{NoKeyring: true})
	b, _ := json.Marshal(email.OAuthSecret{Token: tok})
	if err := h.sec.Set(secrets.TokenKey(h.acc.ID), string(b)); err != nil {
		t.Fatal(err)
	}
	h.mail = NewMail(ws, h.rec, h.sec, &MailOptions{MinBackoff: 150 * time.Millisecond, Syncer: syncerOptions()})
	return h
}
