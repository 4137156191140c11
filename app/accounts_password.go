package app

import (
	"context"
	"fmt"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
)

// AccountRestarter starts an account's sync again with what is saved now
// (Mail.Retry).
type AccountRestarter interface {
	Retry(accountID string) error
}

// SetPassword gives an email account a new password (the server's was
// changed, or the old one was rejected): it is tested against the IMAP and
// SMTP servers first and kept only when both accept it; then the account
// syncs again.
func (a *Accounts) SetPassword(accountID, password string) error {
	acct, err := a.ws.Store.Account(a.ctx, accountID)
	if err != nil {
		return err
	}
	if acct.Channel != inbox.ChannelEmail || acct.Demo() {
		return fmt.Errorf("app: %q has no password to change here: %w", acct.Name, inbox.ErrInvalid)
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return err
	}
	if cfg.Auth == "oauth2" {
		return fmt.Errorf("app: %q signs in with its provider (OAuth2), not a password: remove it and connect it again: %w", acct.Name, inbox.ErrInvalid)
	}
	if password == "" {
		return fmt.Errorf("app: the password is empty: %w", inbox.ErrInvalid)
	}
	if a.secrets == nil {
		return fmt.Errorf("app: no secret store to keep the password: %w", inbox.ErrNotAvailable)
	}
	ctx, cancel := context.WithTimeout(a.ctx, 60*time.Second)
	defer cancel()
	auth := email.Auth{Password: password}
	sess, err := email.Connect(ctx, cfg, auth, nil)
	if err != nil {
		return err
	}
	sess.Close()
	if err := email.CheckSMTP(ctx, cfg, auth, nil); err != nil {
		return err
	}
	if err := a.secrets.Set(secrets.PasswordKey(accountID), password); err != nil {
		return fmt.Errorf("app: keeping the password: %w", err)
	}
	for _, s := range a.stoppers {
		if r, ok := s.(AccountRestarter); ok {
			if err := r.Retry(accountID); err != nil {
				return err
			}
		}
	}
	a.changed()
	return nil
}
