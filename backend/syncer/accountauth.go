package syncer

import (
	"context"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
)

// AccountAuth returns how an email account signs in, read from sec exactly
// as the syncer reads it: its password, or an OAuth2 token source that
// refreshes by itself and saves refreshed tokens back. The email channel
// connector (backend/channels/emailconn) signs in through it.
func AccountAuth(ctx context.Context, sec *secrets.Store, a inbox.Account) (email.Auth, error) {
	cfg, err := config(a)
	if err != nil {
		return email.Auth{}, err
	}
	return New(nil, &Options{Secrets: sec}).auth(ctx, a, cfg)
}
