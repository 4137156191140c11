package threader

import (
	"context"
	"database/sql"
	"fmt"

	"tidings/backend/inbox"
)

// Split moves one message out of its conversation into a new one (the
// threading got it wrong), with the same account and contact. The message
// records that it was filed by hand. It returns the new conversation's ID.
func (t *Threader) Split(ctx context.Context, messageID string) (string, error) {
	var newID string
	err := t.st.Tx(ctx, func(tx *sql.Tx) error {
		_, convID, err := t.st.MessageSeqTx(ctx, tx, messageID)
		if err != nil {
			return err
		}
		c, err := t.st.ConversationTx(ctx, tx, convID)
		if err != nil {
			return err
		}
		if c.MessageCount <= 1 {
			return fmt.Errorf("threader: message %s is alone in its conversation: %w", messageID, inbox.ErrInvalid)
		}
		m, err := t.st.Message(ctx, messageID)
		if err != nil {
			return err
		}
		nc := inbox.Conversation{AccountID: c.AccountID, ContactID: c.ContactID, Channel: c.Channel, Subject: CleanSubject(m.Subject), Status: inbox.StatusOpen}
		if err := t.st.CreateConversationTx(ctx, tx, &nc); err != nil {
			return err
		}
		if _, err := t.st.MoveMessagesTx(ctx, tx, []string{messageID}, nc.ID); err != nil {
			return err
		}
		newID = nc.ID
		if err := t.st.AddEventTx(ctx, tx, convID, "split", "a message was moved to its own conversation"); err != nil {
			return err
		}
		return t.st.AddEventTx(ctx, tx, nc.ID, "split", "split from another conversation")
	})
	return newID, err
}

// Merge moves every message of conversation from into into, with its notes,
// labels and timeline, and removes the emptied conversation.
func (t *Threader) Merge(ctx context.Context, into, from string) error {
	if into == from {
		return fmt.Errorf("threader: cannot merge a conversation into itself: %w", inbox.ErrInvalid)
	}
	return t.st.Tx(ctx, func(tx *sql.Tx) error { return t.MergeTx(ctx, tx, into, from) })
}

// MergeTx is Merge inside tx (with store.RecordConversationMergeTx before
// it, the merge can be undone).
func (t *Threader) MergeTx(ctx context.Context, tx *sql.Tx, into, from string) error {
	if into == from {
		return fmt.Errorf("threader: cannot merge a conversation into itself: %w", inbox.ErrInvalid)
	}
	if _, err := t.st.ConversationTx(ctx, tx, into); err != nil {
		return err
	}
	ids, err := t.st.ConversationMessageIDsTx(ctx, tx, from)
	if err != nil {
		return err
	}
	if _, err := t.st.MoveMessagesTx(ctx, tx, ids, into); err != nil {
		return err
	}
	if err := t.st.AddEventTx(ctx, tx, into, "merge", fmt.Sprintf("%d messages merged in from another conversation", len(ids))); err != nil {
		return err
	}
	return t.st.DropEmptyConversationTx(ctx, tx, from, into)
}
