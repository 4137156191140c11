package app

import (
	"fmt"
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// SignatureView is one account's signature in Settings → Signatures.
type SignatureView struct {
	AccountID   string `json:"account_id"`
	AccountName string `json:"account_name"`
	Channel     string `json:"channel"`
	Address     string `json:"address"`
	Signature   string `json:"signature"`
}

// Signatures lists every account with its plain-text signature ("" when
// none: chat replies then go out without one).
func (a *Inbox) Signatures() ([]SignatureView, error) {
	accts, err := a.ws.Store.Accounts(a.ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SignatureView, 0, len(accts))
	for _, acct := range accts {
		sig, err := a.ws.Signature(a.ctx, acct)
		if err != nil {
			return nil, err
		}
		out = append(out, SignatureView{AccountID: acct.ID, AccountName: acct.Name, Channel: string(acct.Channel), Address: acct.Address, Signature: sig})
	}
	return out, nil
}

// SetSignature stores an account's signature; empty removes it. For email
// the composer writes it under the conventional "-- " line (RFC 3676
// section 4.3). An email account's settings keep a copy, which the outbox
// adds to mail written elsewhere (`tidings reply`); the window's Send
// leaves it out, since the composer's text already holds the signature, or
// lacks it because the user took it out.
func (a *Inbox) SetSignature(accountID, signature string) error {
	acct, err := a.ws.Store.Account(a.ctx, accountID)
	if err != nil {
		return err
	}
	if strings.Contains(signature, "\x00") {
		return fmt.Errorf("app: a signature is plain text: %w", inbox.ErrInvalid)
	}
	if err := a.ws.Store.SetSignature(a.ctx, acct.ID, signature); err != nil {
		return err
	}
	if acct.Channel != inbox.ChannelEmail || acct.Demo() {
		return nil
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return err
	}
	cfg.Signature, err = a.ws.Store.Signature(a.ctx, acct.ID)
	if err != nil {
		return err
	}
	return a.ws.Store.UpdateAccountConfig(a.ctx, acct.ID, acct.Address, cfg.JSON())
}

// signatureFor is the signature the composer inserts for an account
// (workspace.Signature: the same one `tidings reply` adds).
func (a *Inbox) signatureFor(acct inbox.Account) (string, error) {
	return a.ws.Signature(a.ctx, acct)
}
