package channels

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// Applied says what Apply stored.
type Applied struct {
	// Stored counts new messages.
	Stored int
	// Duplicates counts messages that were already stored (a redelivery
	// after a crash).
	Duplicates int
	Rejected   int
	// Edited counts messages whose text the sender changed.
	Edited int
	// Reopened counts conversations a customer's message opened again.
	Reopened int
	// Conversations lists the conversations that changed.
	Conversations []string
}

// Apply stores a batch for an account in one transaction: each message in
// the conversation of its chat (one per chat per account, created on the
// first message), its sender found or created by identity, closed or
// snoozed conversations reopened by the inbox rules, unreadable items kept
// as rejects, and the batch's cursors. Either all of it is stored or none,
// so a cursor never passes anything that was not stored; a batch received
// twice is stored once. A batch of a channel with threads of its own
// (Batch.Threads) is filed by the threader instead of by chat.
func Apply(ctx context.Context, st *store.Store, acct inbox.Account, b Batch) (Applied, error) {
	var res Applied
	var th *threader.Threader
	if b.Threads {
		th = threader.New(st, nil)
	}
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		res = Applied{}
		seen := map[string]bool{}
		for i := range b.Messages {
			in := b.Messages[i]
			if in.Edit {
				convID, edited, err := st.EditMessageTx(ctx, tx, in.Message.ID, in.Message.Text)
				switch {
				case err == nil:
					if edited {
						res.Edited++
						if !seen[convID] {
							seen[convID] = true
							res.Conversations = append(res.Conversations, convID)
						}
					}
					continue
				case !errors.Is(err, inbox.ErrNotFound):
					return fmt.Errorf("channels: edit message %s: %w", in.Message.MessageID, err)
				}
				// The original was never stored: keep the edited version.
			}
			var convID string
			var stored, reopened bool
			var err error
			if th != nil {
				convID, stored, reopened, err = applyThreaded(ctx, st, th, tx, acct, b.Own, in)
			} else {
				convID, stored, reopened, err = applyOne(ctx, st, tx, acct, in)
			}
			if err != nil {
				return fmt.Errorf("channels: store message %s: %w", in.Message.MessageID, err)
			}
			if !stored {
				res.Duplicates++
				continue
			}
			res.Stored++
			if reopened {
				res.Reopened++
			}
			if !seen[convID] {
				seen[convID] = true
				res.Conversations = append(res.Conversations, convID)
			}
		}
		for _, r := range b.Rejects {
			if err := st.AddRejectTx(ctx, tx, &store.IngestReject{AccountID: acct.ID, RemoteKey: r.Key, Reason: r.Reason, Raw: r.Raw}); err != nil {
				return err
			}
			res.Rejected++
		}
		for scope, c := range b.Cursors {
			if err := st.SetCursorTx(ctx, tx, acct.ID, scope, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Applied{}, err
	}
	return res, nil
}

func applyOne(ctx context.Context, st *store.Store, tx *sql.Tx, acct inbox.Account, in Inbound) (convID string, stored, reopened bool, err error) {
	m := in.Message
	if m.ID == "" || in.Thread == "" {
		return "", false, false, fmt.Errorf("channels: message without ID or chat: %w", inbox.ErrInvalid)
	}
	if dup, err := st.HasMessageTx(ctx, tx, m.ID); err != nil || dup {
		return "", false, false, err
	}
	contactID, err := st.ContactForIdentityTx(ctx, tx, in.Sender.Channel, in.Sender.Address, in.Sender.Display)
	if err != nil {
		return "", false, false, err
	}
	convID, err = st.ThreadConversationTx(ctx, tx, acct.ID, in.Thread)
	m.ThreadReason = inbox.ReasonChat
	switch {
	case errors.Is(err, inbox.ErrNotFound):
		c := inbox.Conversation{AccountID: acct.ID, ContactID: contactID, Channel: acct.Channel, CreatedAt: m.Date}
		if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
			return "", false, false, err
		}
		if err := st.SetThreadTx(ctx, tx, c.ID, acct.ID, in.Thread); err != nil {
			return "", false, false, err
		}
		convID = c.ID
		m.ThreadReason = inbox.ReasonNew
	case err != nil:
		return "", false, false, err
	default:
		// An outgoing message seen again on the channel (sent from
		// Tidings, then echoed) is already stored under its remote ID.
		if m.Direction == inbox.Out && m.MessageID != "" {
			if dup, err := st.HasRemoteMessageTx(ctx, tx, convID, m.MessageID); err != nil || dup {
				return "", false, false, err
			}
		}
	}
	m.ConversationID, m.AccountID, m.Channel = convID, acct.ID, acct.Channel
	if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
		return "", false, false, err
	}
	if m.Direction == inbox.In {
		if reopened, err = st.ReopenTx(ctx, tx, convID); err != nil {
			return "", false, false, err
		}
		for _, c := range in.Claims {
			cl := inbox.Claim{ContactID: contactID, Channel: c.Channel, Address: c.Address, MessageID: m.ID}
			if err := st.AddClaimTx(ctx, tx, &cl); err != nil && !errors.Is(err, inbox.ErrInvalid) {
				return "", false, false, err
			}
		}
	}
	return convID, true, reopened, nil
}

// applyThreaded files one message of a channel with threads of its own
// through the threader, as the email syncer does: References and
// In-Reply-To first, then the subject rule within one customer; the
// conversation is reopened when a customer wrote. The message's ID is
// derived from its content (threader.MessageIDFor), so a redelivery is
// recognised even from another folder.
func applyThreaded(ctx context.Context, st *store.Store, th *threader.Threader, tx *sql.Tx, acct inbox.Account, own []string, in Inbound) (convID string, stored, reopened bool, err error) {
	m := in.Message
	if m.ContentHash == "" {
		return "", false, false, fmt.Errorf("channels: threaded message %q has no content hash: %w", m.MessageID, inbox.ErrInvalid)
	}
	if m.Direction == inbox.Out && m.MessageID != "" {
		// Our own message seen again on the channel (sent through
		// Deliver, then found in the Sent folder) is stored already under
		// its Message-ID, without the bytes the server keeps.
		found, err := st.ConversationsByMessageIDTx(ctx, tx, acct.ID, []string{m.MessageID})
		if err != nil {
			return "", false, false, err
		}
		if c, ok := found[m.MessageID]; ok {
			if dup, err := st.SentMessageTx(ctx, tx, c, m.MessageID); err != nil || dup {
				return "", false, false, err
			}
		}
	}
	res, err := th.IngestTx(ctx, tx, threader.Input{Account: &acct, Own: own, Sent: m.Direction == inbox.Out, Message: &m, Warnings: in.Warnings})
	if err != nil {
		return "", false, false, err
	}
	return res.ConversationID, res.Created, res.Reopened, nil
}
