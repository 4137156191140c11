package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// ModeEdit is the composer editing a failed message (ComposeEdit,
// SendEdited).
const ModeEdit = "edit"

// EditDraftKey is the draft that holds the edit of a failed message: its
// text as the user types, and its files.
func EditDraftKey(outboxID string) string { return "edit:" + outboxID }

// ComposeEdit opens a failed email in the composer: its recipients,
// subject, text (signature included, as it was sent) and attachments, the
// files put in the edit's draft (EditDraftKey) the first time it is
// opened.
func (a *Inbox) ComposeEdit(outboxID string) (ComposeView, error) {
	v := ComposeView{Mode: ModeEdit, To: []string{}, Cc: []string{}, Bcc: []string{}, Recipients: true}
	item, err := a.ws.Store.OutboxItem(a.ctx, outboxID)
	if err != nil {
		return v, err
	}
	d, err := syncer.FailedDraft(item)
	if err != nil {
		return v, err
	}
	acct, err := a.ws.Store.Account(a.ctx, item.AccountID)
	if err != nil {
		return v, err
	}
	v.ConversationID, v.Channel = item.ConversationID, string(acct.Channel)
	if v, err = a.fillAccount(v, acct); err != nil {
		return v, err
	}
	// The text carries the signature it was written with.
	v.Signature = ""
	v.To, v.Cc, v.Bcc, v.Subject, v.Body = addrTexts(d.To), addrTexts(d.Cc), addrTexts(d.Bcc), d.Subject, d.Text
	key := EditDraftKey(outboxID)
	k, err := draftKey(key)
	if err != nil {
		return v, err
	}
	files, err := a.ws.Store.DraftAttachments(a.ctx, k, false)
	if err != nil {
		return v, err
	}
	if _, derr := a.Draft(key); len(files) == 0 && errors.Is(derr, inbox.ErrNotFound) {
		for _, f := range d.Attachments {
			if err := a.ws.Store.AddDraftAttachment(a.ctx, &inbox.DraftAttachment{DraftKey: k, Name: f.Name, ContentType: f.ContentType, Data: f.Data}); err != nil {
				return v, err
			}
		}
	}
	return v, nil
}

// SendEdited sends the composer's edit of a failed email in its place
// (syncer.Resend): the same conversation and threading, the failed message
// replaced, never both sent. When the failed message turns out to have
// gone out after all, nothing is sent and the error says so.
func (a *Inbox) SendEdited(outboxID string, req SendRequest) (SendView, error) {
	item, err := a.ws.Store.OutboxItem(a.ctx, outboxID)
	if err != nil {
		return SendView{}, err
	}
	if item.State != inbox.OutboxFailed {
		return SendView{}, fmt.Errorf("app: this message is %s, no longer failed; there is nothing to edit: %w", item.State, inbox.ErrConflict)
	}
	acct, err := a.ws.Store.Account(a.ctx, item.AccountID)
	if err != nil {
		return SendView{}, err
	}
	body, files, err := a.composed(req)
	if err != nil {
		return SendView{}, err
	}
	if err := a.checkFiles(acct, files); err != nil {
		return SendView{}, err
	}
	to, cc, bcc, err := recipients(req)
	if err != nil {
		return SendView{}, err
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return SendView{}, err
	}
	d := email.Draft{From: inbox.Address{Address: cfg.Address}, To: to, Cc: cc, Bcc: bcc, Subject: strings.TrimSpace(req.Subject), Text: body, Attachments: attachments(files)}
	next, err := a.resend(workspace.Unsigned(acct), outboxID, &d)
	if err != nil {
		return SendView{}, err
	}
	a.forgetDraft(req.DraftKey)
	return SendView{ConversationID: next.ConversationID, MessageID: next.MessageID, OutboxID: next.ID, State: string(next.State)}, nil
}

// resend checks Sent for a failed message and puts it (or its edit d)
// back in the outbox (syncer.Resend), then sends in the background.
func (a *Inbox) resend(acct inbox.Account, outboxID string, d *email.Draft) (inbox.OutboxItem, error) {
	ctx, cancel := context.WithTimeout(a.ctx, time.Minute)
	defer cancel()
	sy := syncer.New(a.ws.Store, &syncer.Options{Secrets: a.secretStore()})
	sess, cfg, err := sy.Connect(ctx, acct)
	if err != nil {
		return inbox.OutboxItem{}, fmt.Errorf("app: nothing was sent: the server could not be reached to check that the first attempt did not go out (%w); try again once it answers", err)
	}
	defer sess.Close()
	folders, err := sess.Folders(ctx)
	if err != nil {
		return inbox.OutboxItem{}, fmt.Errorf("app: nothing was sent: listing the folders to look in Sent: %w", err)
	}
	item, err := sy.Resend(ctx, sess, acct, email.PickFolders(folders, cfg.Folders), outboxID, d)
	if err != nil {
		a.changed(item.ConversationID)
		return item, err
	}
	a.changed(item.ConversationID)
	go a.deliver(sy, acct, item.ConversationID)
	return item, nil
}
