package syncer

import (
	"context"
	"database/sql"
	"fmt"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// ErrAlreadySent is what Resend answers for a failed message whose copy is
// in Sent after all: it went out, and is not sent a second time.
var ErrAlreadySent = fmt.Errorf("syncer: this message had already gone out (its copy is in Sent), so it was not sent again: %w", inbox.ErrConflict)

// FailedDraft reads a failed outbox entry back into a draft to edit: its
// recipients (Bcc included), subject, text, attachments and threading
// headers, from the bytes that were to be sent.
func FailedDraft(item inbox.OutboxItem) (email.Draft, error) {
	if item.State != inbox.OutboxFailed {
		return email.Draft{}, fmt.Errorf("syncer: outbox item %s is %s, not failed: %w", item.ID, item.State, inbox.ErrConflict)
	}
	p := email.Parse(item.Raw)
	if p.Message == nil {
		return email.Draft{}, fmt.Errorf("syncer: outbox item %s cannot be read back: %w", item.ID, inbox.ErrInvalid)
	}
	m := p.Message
	d := email.Draft{From: m.From, To: m.To, Cc: m.Cc, Bcc: m.Bcc, Subject: m.Subject, Text: m.Text,
		InReplyTo: m.InReplyTo, References: m.References}
	for _, a := range m.Attachments {
		a.ID, a.MessageID, a.InRaw = "", "", [2]int{}
		d.Attachments = append(d.Attachments, a)
	}
	return d, nil
}

// Resend puts a failed outbox entry back to be sent by the next SendOutbox:
// as it was when d is nil, else replaced by d, the user's edit. Exactly
// once: first it looks for the failed message's Message-ID in Sent (sess
// and folders are the account's open session and its folders), and when
// found marks the entry sent and answers ErrAlreadySent.
//
// An edit is a new message (a new Message-ID, so no server or recipient
// takes it for the old one) in the same conversation with the same
// In-Reply-To and References (RFC 5322 section 3.6.4): the failed entry and
// its copy in the conversation are replaced in one transaction, so the two
// never both wait to be sent.
func (s *Syncer) Resend(ctx context.Context, sess *email.Session, a inbox.Account, folders []email.Folder, outboxID string, d *email.Draft) (inbox.OutboxItem, error) {
	item, err := s.st.OutboxItem(ctx, outboxID)
	if err != nil {
		return item, err
	}
	if item.AccountID != a.ID {
		return item, fmt.Errorf("syncer: outbox item %s belongs to another account: %w", outboxID, inbox.ErrInvalid)
	}
	if item.State != inbox.OutboxFailed {
		return item, fmt.Errorf("syncer: outbox item %s is %s, not failed: %w", outboxID, item.State, inbox.ErrConflict)
	}
	for _, f := range folders {
		if f.Role != email.RoleSent {
			continue
		}
		uids, err := sess.FindMessageID(ctx, f.Name, item.MessageID)
		if err != nil {
			return item, fmt.Errorf("syncer: looking for the failed message in %s: %w", f.Name, err)
		}
		if len(uids) > 0 {
			item.State, item.SentAt, item.LastError = inbox.OutboxSent, s.opts.Now(), ""
			if err := s.st.UpdateOutbox(ctx, item); err != nil {
				return item, err
			}
			s.changed(a.ID)
			return item, ErrAlreadySent
		}
	}
	if d == nil {
		if err := s.st.RetryOutbox(ctx, outboxID, nil); err != nil {
			return item, err
		}
		s.changed(a.ID)
		return s.st.OutboxItem(ctx, outboxID)
	}
	old, err := FailedDraft(item)
	if err != nil {
		return item, err
	}
	edit := *d
	edit.InReplyTo, edit.References, edit.MessageID = old.InReplyTo, old.References, ""
	next, _, err := s.queue(ctx, a, item.ConversationID, edit, func(tx *sql.Tx) error {
		_, err := s.st.DropFailedOutboxTx(ctx, tx, outboxID)
		return err
	})
	return next, err
}
