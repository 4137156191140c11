package syncer

import (
	"context"
	"fmt"
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// EditFailed replaces a failed outgoing email with the same one carrying
// new text, and queues that: the recipients, subject, threading headers,
// attachments and Message-ID stay (a retry looks for that Message-ID in
// Sent first, so an earlier attempt that did leave is never doubled). The
// edited copy is queued before the failed one and its copy in the
// conversation are withdrawn: a crash in between leaves both, never
// neither.
func (s *Syncer) EditFailed(ctx context.Context, a inbox.Account, outboxID, text string) (inbox.OutboxItem, inbox.Message, error) {
	old, err := s.st.OutboxItem(ctx, outboxID)
	if err != nil {
		return inbox.OutboxItem{}, inbox.Message{}, err
	}
	if old.AccountID != a.ID {
		return inbox.OutboxItem{}, inbox.Message{}, fmt.Errorf("syncer: outbox item %s is not of account %q: %w", outboxID, a.Name, inbox.ErrInvalid)
	}
	if old.State != inbox.OutboxFailed {
		return inbox.OutboxItem{}, inbox.Message{}, fmt.Errorf("syncer: outbox item %s is %s, not failed: %w", outboxID, old.State, inbox.ErrConflict)
	}
	if strings.TrimSpace(text) == "" {
		return inbox.OutboxItem{}, inbox.Message{}, fmt.Errorf("syncer: the edited message is empty: %w", inbox.ErrInvalid)
	}
	m := email.Parse(old.Raw).Message
	if strings.TrimSpace(text) == strings.TrimSpace(m.Text) {
		// Nothing edited: the same bytes go again.
		if err := s.st.RetryOutbox(ctx, outboxID, nil); err != nil {
			return inbox.OutboxItem{}, inbox.Message{}, err
		}
		return old, *m, nil
	}
	d := email.Draft{From: m.From, To: m.To, Cc: m.Cc, Bcc: m.Bcc, Subject: m.Subject, Text: text,
		InReplyTo: m.InReplyTo, References: m.References, Attachments: m.Attachments, MessageID: old.MessageID}
	item, msg, err := s.Queue(ctx, a, old.ConversationID, d)
	if err != nil {
		return inbox.OutboxItem{}, inbox.Message{}, err
	}
	if err := s.st.WithdrawFailed(ctx, outboxID, msg.ID); err != nil {
		return item, msg, fmt.Errorf("syncer: the edited message is queued, the failed one stays: %w", err)
	}
	s.changed(a.ID)
	return item, msg, nil
}
