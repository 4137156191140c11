package app

import (
	"tidings/backend/syncer"
)

// EditAndRetrySend replaces a failed email's text and sends it again: the
// same recipients, subject, threading and Message-ID, the new text.
func (a *Inbox) EditAndRetrySend(outboxID, text string) error {
	it, err := a.ws.Store.OutboxItem(a.ctx, outboxID)
	if err != nil {
		return err
	}
	acct, err := a.ws.Store.Account(a.ctx, it.AccountID)
	if err != nil {
		return err
	}
	sy := syncer.New(a.ws.Store, &syncer.Options{Secrets: a.secretStore()})
	if _, _, err := sy.EditFailed(a.ctx, acct, outboxID, text); err != nil {
		return err
	}
	a.changed(it.ConversationID)
	go a.deliver(sy, acct, it.ConversationID)
	return nil
}
