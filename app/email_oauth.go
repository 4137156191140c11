package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/syncer"
)

// EventOAuthURL carries the authorization page of the sign-in under way
// (a string), for the form to offer as a link should the system browser
// not open.
const EventOAuthURL = "email:oauth-url"

// OAuthForm is how the account form signs in with OAuth2: Google, Microsoft
// or a custom provider, with the user's own client ID (and secret, which
// Google's desktop clients have).
type OAuthForm struct {
	Provider     string `json:"provider"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret,omitempty"`
	AuthURL      string `json:"auth_url,omitempty"`
	TokenURL     string `json:"token_url,omitempty"`
	// Scopes are space- or comma-separated (custom only).
	Scopes string `json:"scopes,omitempty"`
}

// signIn is the one OAuth2 sign-in a window runs at a time.
type signIn struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	// timeout bounds the wait for the browser (default 5 min; tests).
	timeout time.Duration
}

// Errors of the window's sign-in that the form tells apart.
var (
	ErrSignInCancelled = errors.New("app: sign-in cancelled; nothing was saved")
	ErrSignInBusy      = errors.New("app: a sign-in is already waiting for the browser; finish or cancel it first")
)

// SignInAccount connects a mailbox with OAuth2 (RFC 8252 loopback flow with
// PKCE): the system browser opens the provider's page (its address also
// goes out as EventOAuthURL), the provider redirects back to a one-shot
// listener on 127.0.0.1, and the connection is tested with the token
// before anything is saved, the token in the secret store. CancelSignIn
// stops the wait.
func (e *Email) SignInAccount(form syncer.AccountForm, o OAuthForm) (AccountAdded, error) {
	p, err := email.OAuthProviderFor(o.Provider, o.ClientID, o.ClientSecret, o.AuthURL, o.TokenURL, strings.FieldsFunc(o.Scopes, func(r rune) bool { return r == ',' || r == ' ' }))
	if err != nil {
		return AccountAdded{}, err
	}
	e.oauth.mu.Lock()
	if e.oauth.cancel != nil {
		e.oauth.mu.Unlock()
		return AccountAdded{}, ErrSignInBusy
	}
	ctx, cancel := context.WithCancel(e.ctx)
	e.oauth.cancel = cancel
	timeout := e.oauth.timeout
	e.oauth.mu.Unlock()
	defer func() {
		e.oauth.mu.Lock()
		e.oauth.cancel = nil
		e.oauth.mu.Unlock()
		cancel()
	}()
	form.Password, form.OAuth = "", &p
	open := func(u string) error {
		if e.emit != nil {
			e.emit.Emit(EventOAuthURL, u)
		}
		// The form shows the link too: a browser that does not open is
		// not the end of the sign-in.
		if err := openInBrowser(u); err != nil {
			slog.Warn("app: the system browser did not open the sign-in page", "err", err)
		}
		return nil
	}
	fileBefore := e.secrets.FileInUse()
	added, err := syncer.AddAccount(ctx, e.ws.Store, e.secrets, form, &syncer.AddOptions{Open: open, OAuthTimeout: timeout})
	switch {
	case err == nil:
		return e.added(added, fileBefore), nil
	case errors.Is(err, context.Canceled) && e.ctx.Err() == nil:
		return AccountAdded{}, ErrSignInCancelled
	case errors.Is(err, email.ErrSignInTimeout):
		return AccountAdded{}, fmt.Errorf("app: %s sign-in did not come back: %w", p.Name, err)
	}
	return AccountAdded{}, err
}

// CancelSignIn stops the OAuth2 sign-in waiting for the browser, if any.
func (e *Email) CancelSignIn() {
	e.oauth.mu.Lock()
	defer e.oauth.mu.Unlock()
	if e.oauth.cancel != nil {
		e.oauth.cancel()
	}
}
