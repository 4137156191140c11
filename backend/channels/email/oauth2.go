package email

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// OAuth2 sign-in for IMAP and SMTP (XOAUTH2, OAUTHBEARER RFC 7628) with the
// native-app flow of RFC 8252: the browser is sent to the provider, which
// redirects to a one-shot listener on 127.0.0.1 (section 7.3); the code is
// bound to this process by PKCE (RFC 7636, S256).

// OAuthProvider is an authorization server and the client registered there.
// The user may bring their own client ID.
type OAuthProvider struct {
	Name     string   `json:"name"`
	AuthURL  string   `json:"auth_url"`
	TokenURL string   `json:"token_url"`
	Scopes   []string `json:"scopes"`
	ClientID string   `json:"client_id"`
	// ClientSecret is empty for public clients; Google's desktop clients
	// have one. It is kept with the token in the secret store, never in
	// the account settings.
	ClientSecret string `json:"-"`
	// HTTPClient is used for the token endpoint (tests inject one).
	HTTPClient *http.Client `json:"-"`
}

// Known providers; the client ID is the user's own.
var (
	GoogleOAuth = OAuthProvider{Name: "Google", AuthURL: "https://accounts.google.com/o/oauth2/v2/auth",
		TokenURL: "https://oauth2.googleapis.com/token", Scopes: []string{"https://mail.google.com/"}}
	MicrosoftOAuth = OAuthProvider{Name: "Microsoft", AuthURL: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
		TokenURL: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
		Scopes:   []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send", "offline_access"}}
)

// OAuthToken is what the provider granted. It is a secret: it lives in the
// secret store as JSON, never in the database.
type OAuthToken struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
	// RefreshExpiry is when the refresh token stops working, when the
	// provider says (refresh_token_expires_in); else zero.
	RefreshExpiry time.Time `json:"refresh_expiry,omitempty"`
	// LastRefresh is when the token was last refreshed: Microsoft's refresh
	// tokens lapse after 90 days unused.
	LastRefresh time.Time `json:"last_refresh"`
}

// OAuthSecret is what the secret store keeps for an OAuth2 account.
type OAuthSecret struct {
	Token        OAuthToken `json:"token"`
	ClientSecret string     `json:"client_secret,omitempty"`
}

// RefreshWarning returns a sentence for the user when the refresh token
// will stop working within a week (they must sign in again), else "".
func (t OAuthToken) RefreshWarning(now time.Time) string {
	end := t.RefreshExpiry
	if end.IsZero() && !t.LastRefresh.IsZero() {
		end = t.LastRefresh.Add(90 * 24 * time.Hour)
	}
	if end.IsZero() || end.Sub(now) > 7*24*time.Hour {
		return ""
	}
	if !end.After(now) {
		return "the sign-in has expired: sign in again to keep syncing"
	}
	return fmt.Sprintf("the sign-in expires on %s: sign in again before then to keep syncing", end.Format("2 Jan 2006"))
}

// AuthorizeOptions tune Authorize.
type AuthorizeOptions struct {
	// Open shows the URL to the user (a browser); required.
	Open func(authURL string) error
	// LoginHint pre-fills the account (the email address).
	LoginHint string
	// Timeout bounds the wait for the browser (default 5 min).
	Timeout time.Duration
	// Now replaces the clock, for tests.
	Now func() time.Time
}

// Authorize runs the loopback flow and returns the granted token.
func Authorize(ctx context.Context, p OAuthProvider, o AuthorizeOptions) (OAuthToken, error) {
	if p.ClientID == "" {
		return OAuthToken{}, fmt.Errorf("email: %s sign-in needs a client ID", p.Name)
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	verifier, state := randomString(48), randomString(24)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return OAuthToken{}, fmt.Errorf("email: loopback listener: %w", err)
	}
	defer l.Close()
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", l.Addr().(*net.TCPAddr).Port)
	type result struct {
		code string
		err  error
	}
	got := make(chan result, 1)
	var once sync.Once
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var res result
		switch {
		case q.Get("state") != state:
			res.err = errors.New("email: the sign-in answer does not match this request (state)")
		case q.Get("error") != "":
			res.err = fmt.Errorf("email: %s refused the sign-in: %s %s", p.Name, q.Get("error"), q.Get("error_description"))
		case q.Get("code") == "":
			res.err = errors.New("email: the sign-in answer has no code")
		default:
			res.code = q.Get("code")
		}
		msg := "Signed in. You can close this tab and return to Tidings."
		if res.err != nil {
			msg = "Sign-in failed: " + res.err.Error()
		}
		fmt.Fprintf(w, "<!doctype html><title>Tidings</title><p>%s</p>", html.EscapeString(msg))
		once.Do(func() { got <- res })
	})}
	go srv.Serve(l)
	defer srv.Close()
	q := url.Values{"response_type": {"code"}, "client_id": {p.ClientID}, "redirect_uri": {redirect},
		"scope": {strings.Join(p.Scopes, " ")}, "state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
		"access_type": {"offline"}, "prompt": {"consent"}}
	if o.LoginHint != "" {
		q.Set("login_hint", o.LoginHint)
	}
	authURL := p.AuthURL + "?" + q.Encode()
	if err := o.Open(authURL); err != nil {
		return OAuthToken{}, fmt.Errorf("email: open the sign-in page: %w", err)
	}
	var res result
	select {
	case res = <-got:
	case <-ctx.Done():
		return OAuthToken{}, ctx.Err()
	case <-time.After(o.Timeout):
		return OAuthToken{}, fmt.Errorf("email: no answer from the sign-in page within %v: %w", o.Timeout, ErrSignInTimeout)
	}
	if res.err != nil {
		return OAuthToken{}, res.err
	}
	return p.exchange(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {res.code}, "redirect_uri": {redirect},
		"code_verifier": {verifier}}, OAuthToken{}, o.Now())
}

// Refresh gets a new access token with the refresh token.
func (p OAuthProvider) Refresh(ctx context.Context, t OAuthToken, now time.Time) (OAuthToken, error) {
	if t.RefreshToken == "" {
		return t, fmt.Errorf("email: no refresh token: sign in again: %w", errOAuthPermanent)
	}
	return p.exchange(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.RefreshToken}}, t, now)
}

var errOAuthPermanent = errors.New("sign-in needed")

// ErrSignInTimeout is Authorize waiting in vain: the user never finished,
// or the provider showed an error page instead of coming back (RFC 6749
// section 4.1.2.1: an unknown client ID is not redirected back).
var ErrSignInTimeout = errors.New("if the page showed an error, check the client ID")

// exchange posts to the token endpoint (RFC 6749 section 4.1.3 / 6).
func (p OAuthProvider) exchange(ctx context.Context, form url.Values, old OAuthToken, now time.Time) (OAuthToken, error) {
	form.Set("client_id", p.ClientID)
	if p.ClientSecret != "" {
		form.Set("client_secret", p.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return old, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	hc := p.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return old, &Error{Kind: KindNetwork, Server: "OAuth2 " + p.Name, Msg: "the token endpoint did not answer", Temporary: true, Err: err}
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken           string `json:"access_token"`
		RefreshToken          string `json:"refresh_token"`
		ExpiresIn             int64  `json:"expires_in"`
		RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in"`
		Error                 string `json:"error"`
		Description           string `json:"error_description"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20)).Decode(&body); err != nil {
		return old, &Error{Kind: KindProtocol, Server: "OAuth2 " + p.Name, Msg: fmt.Sprintf("unreadable token answer (HTTP %d)", resp.StatusCode), Temporary: resp.StatusCode >= 500, Err: err}
	}
	if resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		// invalid_grant: the refresh token was revoked or expired;
		// invalid_client: the client ID or secret is wrong (RFC 6749
		// section 5.2).
		msg := fmt.Sprintf("the token was refused (%s: %s): sign in again", body.Error, body.Description)
		if body.Error == "invalid_client" || body.Error == "unauthorized_client" {
			msg = fmt.Sprintf("%s does not accept this client (%s: %s): check the client ID and secret", p.Name, body.Error, body.Description)
		}
		return old, &Error{Kind: KindAuth, Server: "OAuth2 " + p.Name, Temporary: resp.StatusCode >= 500, Msg: msg}
	}
	t := OAuthToken{AccessToken: body.AccessToken, RefreshToken: old.RefreshToken, Expiry: now.Add(time.Duration(body.ExpiresIn) * time.Second),
		RefreshExpiry: old.RefreshExpiry, LastRefresh: now}
	if body.RefreshToken != "" {
		t.RefreshToken = body.RefreshToken
	}
	if body.RefreshTokenExpiresIn > 0 {
		t.RefreshExpiry = now.Add(time.Duration(body.RefreshTokenExpiresIn) * time.Second)
	}
	return t, nil
}

// TokenSource hands out access tokens, refreshing a minute before expiry and
// saving every new token through Save (the secret store).
type TokenSource struct {
	Provider OAuthProvider
	Save     func(OAuthToken) error
	Now      func() time.Time
	mu       sync.Mutex
	tok      OAuthToken
}

// NewTokenSource starts from a stored token.
func NewTokenSource(p OAuthProvider, t OAuthToken, save func(OAuthToken) error) *TokenSource {
	return &TokenSource{Provider: p, Save: save, Now: time.Now, tok: t}
}

// Token returns a valid access token; it is Auth.Token.
func (s *TokenSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	if s.tok.AccessToken != "" && now.Add(time.Minute).Before(s.tok.Expiry) {
		return s.tok.AccessToken, nil
	}
	t, err := s.Provider.Refresh(ctx, s.tok, now)
	if err != nil {
		return "", err
	}
	s.tok = t
	if s.Save != nil {
		if err := s.Save(t); err != nil {
			return "", fmt.Errorf("email: keeping the refreshed token: %w", err)
		}
	}
	return t.AccessToken, nil
}

// Current returns the token as it stands (for RefreshWarning).
func (s *TokenSource) Current() OAuthToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}
