package app

import (
	"fmt"

	"tidings/backend/inbox"
)

// ComposeFrom prepares a new message from another account (the composer's
// From choice): its address, signature and limits.
func (a *Inbox) ComposeFrom(accountID string) (ComposeView, error) {
	v := ComposeView{Mode: ModeNew, To: []string{}, Cc: []string{}, Bcc: []string{}, Recipients: true}
	acct, err := a.ws.Store.Account(a.ctx, accountID)
	if err != nil {
		return v, err
	}
	if acct.Channel != inbox.ChannelEmail {
		return v, fmt.Errorf("app: a new message goes out by email; %s is a %s account: %w", acct.Name, acct.Channel, inbox.ErrInvalid)
	}
	return a.newMessage(v, acct)
}

// newMessage fills a new message's defaults for acct, with every email
// account to choose from.
func (a *Inbox) newMessage(v ComposeView, acct inbox.Account) (ComposeView, error) {
	v, err := a.fillAccount(v, acct)
	if err != nil {
		return v, err
	}
	accts, err := a.ws.Store.Accounts(a.ctx)
	if err != nil {
		return v, err
	}
	for _, x := range accts {
		if x.Channel == inbox.ChannelEmail {
			v.Accounts = append(v.Accounts, ComposeAccount{ID: x.ID, Name: x.Name, Address: x.Address})
		}
	}
	return v, nil
}
