package workspace

import (
	"context"
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// Signature is the signature replies from acct carry, for the window's
// composer and `tidings reply` alike: the one set in Settings → Signatures,
// else, for email, the one the account's settings hold (written there
// before signatures had their own table, or the copy kept for the outbox).
// "" when none.
func (w *Workspace) Signature(ctx context.Context, acct inbox.Account) (string, error) {
	s, err := w.Store.Signature(ctx, acct.ID)
	if err != nil || s != "" {
		return s, err
	}
	return legacySignature(acct), nil
}

// legacySignature is the signature an email account's settings hold.
func legacySignature(acct inbox.Account) string {
	if acct.Channel != inbox.ChannelEmail || acct.Demo() {
		return ""
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(cfg.Signature)
}

// Unsigned is acct with no signature in its email settings, so that the
// outbox adds none to a text whose signature was already decided (written
// under it, or left out on purpose).
func Unsigned(acct inbox.Account) inbox.Account {
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil || cfg.Signature == "" {
		return acct
	}
	cfg.Signature = ""
	acct.Config = cfg.JSON()
	return acct
}
