package email

import (
	"fmt"
	"net/url"
	"strings"

	"tidings/backend/inbox"
)

// OAuthProviderFor returns the authorization server named: "google" or
// "microsoft" (their endpoints and mail scopes), or "custom" with the
// endpoints and scopes given; the client is the user's own (RFC 8252
// section 8.4: a native app's client secret is not secret, but Google's
// desktop clients still send one).
func OAuthProviderFor(name, clientID, clientSecret, authURL, tokenURL string, scopes []string) (OAuthProvider, error) {
	var p OAuthProvider
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "google":
		p = GoogleOAuth
	case "microsoft":
		p = MicrosoftOAuth
	case "custom":
		for _, u := range []string{authURL, tokenURL} {
			pu, err := url.Parse(strings.TrimSpace(u))
			if u == "" || err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
				return p, fmt.Errorf("email: a custom OAuth2 provider needs its authorization and token URLs (https://...), got %q: %w", u, inbox.ErrInvalid)
			}
		}
		p = OAuthProvider{Name: "custom", AuthURL: strings.TrimSpace(authURL), TokenURL: strings.TrimSpace(tokenURL)}
		for _, sc := range scopes {
			if sc = strings.TrimSpace(sc); sc != "" {
				p.Scopes = append(p.Scopes, sc)
			}
		}
	default:
		return p, fmt.Errorf("email: the OAuth2 provider must be google, microsoft or custom, got %q: %w", name, inbox.ErrInvalid)
	}
	p.ClientID, p.ClientSecret = strings.TrimSpace(clientID), strings.TrimSpace(clientSecret)
	if p.ClientID == "" {
		return p, fmt.Errorf("email: %s sign-in needs your client ID (register Tidings as a desktop app with %s): %w", p.Name, p.Name, inbox.ErrInvalid)
	}
	return p, nil
}
