package email

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email/dovetest"
)

// browser follows the authorization URL the way a browser would: the fake
// server consents at once and redirects to the loopback listener.
func browser(authURL string) error {
	resp, err := http.Get(authURL)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "Signed in") {
		return errors.New("callback page: " + string(b))
	}
	return nil
}

func TestOAuth2LoopbackPKCEAgainstDovecotAndSMTP(t *testing.T) {
	as := dovetest.StartOAuth(t, "my-own-client-id", testUser)
	dove := dovetest.StartWith(t, dovetest.Options{Users: map[string]string{testUser: testPass}, IntrospectURL: as.URL + "/introspect"})
	smtpSrv := dovetest.StartSMTP(t, testUser, testPass)
	smtpSrv.CheckToken = as.Valid
	p := OAuthProvider{Name: "Fake", AuthURL: as.URL + "/authorize", TokenURL: as.URL + "/token", Scopes: []string{"mail"}, ClientID: "my-own-client-id"}
	ctx := context.Background()

	var opened string
	tok, err := Authorize(ctx, p, AuthorizeOptions{LoginHint: testUser, Open: func(u string) error { opened = u; return browser(u) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"code_challenge_method=S256", "redirect_uri=http%3A%2F%2F127.0.0.1%3A", "login_hint=owner%40shop.example"} {
		if !strings.Contains(opened, want) {
			t.Errorf("authorization URL lacks %s: %s", want, opened)
		}
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || !tok.Expiry.After(time.Now()) {
		t.Fatalf("token: %+v", tok)
	}
	var saved []OAuthToken
	src := NewTokenSource(p, tok, func(t OAuthToken) error { saved = append(saved, t); return nil })
	cfg := dovecotConfig(t, dove)
	_, sport, _ := net.SplitHostPort(smtpSrv.Addr)
	cfg.SMTPPort, _ = strconv.Atoi(sport)
	for _, xo := range []bool{false, true} {
		preferXOAuth2 = xo
		s, err := Connect(ctx, cfg, Auth{Token: src.Token}, nil)
		if err != nil {
			t.Fatalf("IMAP with a token (xoauth2=%v): %v\n%s", xo, err, dove.Log())
		}
		s.Close()
	}
	preferXOAuth2 = false
	if err := Send(ctx, cfg, Auth{Token: src.Token}, testUser, []string{"ann@example.com"}, sample(1), nil); err != nil {
		t.Fatalf("SMTP with OAUTHBEARER: %v", err)
	}
	// An hour later the access token has expired: the source refreshes it,
	// saves the new one, and sign-in works again.
	src.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := src.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if len(saved) != 1 || as.Refreshes != 1 || saved[0].AccessToken == tok.AccessToken {
		t.Errorf("refresh: saved %d, server refreshes %d, want one new token", len(saved), as.Refreshes)
	}
	// A bad token is a rejected login, said so.
	_, err = Connect(ctx, cfg, Auth{Token: func(context.Context) (string, error) { return "forged", nil }}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindAuth {
		t.Errorf("forged token: got %v, want a rejected login", err)
	}
	// Revoked by the user at the provider: refreshing says to sign in again.
	as.Revoke()
	src.Now = func() time.Time { return time.Now().Add(4 * time.Hour) }
	if _, err := src.Token(ctx); err == nil || !strings.Contains(err.Error(), "sign in again") || IsTemporary(err) {
		t.Errorf("revoked: got %v, want a permanent 'sign in again'", err)
	}
}

func TestOAuth2Refusals(t *testing.T) {
	as := dovetest.StartOAuth(t, "right-client", testUser)
	p := OAuthProvider{Name: "Fake", AuthURL: as.URL + "/authorize", TokenURL: as.URL + "/token", ClientID: "wrong-client"}
	_, err := Authorize(context.Background(), p, AuthorizeOptions{Open: func(u string) error {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return errors.New("the provider refused: " + resp.Status)
			}
		}
		return err
	}, Timeout: 2 * time.Second})
	if err == nil {
		t.Errorf("a wrong client ID signed in")
	}
	if _, err := (OAuthProvider{Name: "X"}).Refresh(context.Background(), OAuthToken{}, time.Now()); err == nil {
		t.Errorf("refresh without a refresh token succeeded")
	}
}

func TestRefreshWarning(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		tok  OAuthToken
		want string
	}{
		{"no expiry known", OAuthToken{}, ""},
		{"far away", OAuthToken{RefreshExpiry: now.Add(30 * 24 * time.Hour)}, ""},
		{"in three days", OAuthToken{RefreshExpiry: now.Add(72 * time.Hour)}, "expires on 4 Mar 2026"},
		{"expired", OAuthToken{RefreshExpiry: now.Add(-time.Hour)}, "has expired"},
		{"unused for 85 days (Microsoft's 90)", OAuthToken{LastRefresh: now.Add(-85 * 24 * time.Hour)}, "expires on 6 Mar 2026"},
	}
	for _, tc := range cases {
		if got := tc.tok.RefreshWarning(now); (tc.want == "" && got != "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
