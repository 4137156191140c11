package app

import (
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/syncer"
)

// OAuthChoice is how the account form signs in with OAuth2 instead of a
// password: google or microsoft with the user's own client ID (and secret,
// for Google's desktop clients), or custom with its endpoints.
type OAuthChoice struct {
	Provider     string `json:"provider"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	AuthURL      string `json:"auth_url"`
	TokenURL     string `json:"token_url"`
	Scopes       string `json:"scopes"`
}

// AddOAuthAccount is AddAccount signing in with OAuth2: the provider's page
// opens in the system browser (loopback redirect with PKCE, RFC 8252), the
// connection is tested with the token, and the token goes to the secret
// store.
func (e *Email) AddOAuthAccount(form syncer.AccountForm, o OAuthChoice) (AccountAdded, error) {
	var scopes []string
	for _, sc := range strings.Split(o.Scopes, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			scopes = append(scopes, sc)
		}
	}
	p, err := email.OAuthProviderNamed(o.Provider, o.ClientID, o.ClientSecret, o.AuthURL, o.TokenURL, scopes)
	if err != nil {
		return AccountAdded{}, err
	}
	form.OAuth = &p
	return e.AddAccount(form, "")
}
