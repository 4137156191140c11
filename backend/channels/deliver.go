package channels

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Reply is an answer the owner wrote in a chat conversation.
type Reply struct {
	ConversationID string
	Text           string
	// QuoteMessageID is Tidings' ID of the customer message to quote.
	QuoteMessageID string
	Attachments    []inbox.Attachment
}

// Deliver sends a reply through conn. The message is written to the store
// (with a "sending" delivery) before any network I/O, then marked sent with
// the channel's ID or failed with the reason, so nothing the owner wrote is
// lost whatever happens. It returns the stored message, and the send error
// (see KindOf: a rejected message leaves the account healthy).
func Deliver(ctx context.Context, st *store.Store, acct inbox.Account, conn Connector, r Reply) (inbox.Message, error) {
	if r.Text == "" && len(r.Attachments) == 0 {
		return inbox.Message{}, fmt.Errorf("channels: nothing to send: %w", inbox.ErrInvalid)
	}
	accID, thread, err := st.ConversationThread(ctx, r.ConversationID)
	if err != nil {
		return inbox.Message{}, err
	}
	if accID != acct.ID {
		return inbox.Message{}, fmt.Errorf("channels: conversation %s belongs to another account: %w", r.ConversationID, inbox.ErrInvalid)
	}
	conv, err := st.Conversation(ctx, r.ConversationID)
	if err != nil {
		return inbox.Message{}, err
	}
	last, err := st.LastInboundAt(ctx, conv.ID)
	if err != nil {
		return inbox.Message{}, err
	}
	var lastAt time.Time
	if last > 0 {
		lastAt = time.UnixMilli(last)
	}
	if why := Refusal(CapabilitiesFor(conn, thread), acct.Channel, r.Text, r.Attachments, lastAt, time.Now()); why != "" {
		return inbox.Message{}, fmt.Errorf("channels: %s: %w", why, inbox.ErrInvalid)
	}
	var quoteRemote string
	if r.QuoteMessageID != "" {
		q, err := st.Message(ctx, r.QuoteMessageID)
		if err != nil {
			return inbox.Message{}, err
		}
		if q.ConversationID != conv.ID {
			return inbox.Message{}, fmt.Errorf("channels: the quoted message is from another conversation: %w", inbox.ErrInvalid)
		}
		quoteRemote = q.MessageID
	}
	var to []inbox.Address
	if conv.ContactID != "" {
		if c, err := st.Contact(ctx, conv.ContactID); err == nil {
			for _, id := range c.Identities {
				if id.Channel == acct.Channel {
					to = append(to, inbox.Address{Name: c.DisplayName(), Address: id.Address})
					break
				}
			}
		}
	}
	m := inbox.Message{
		ID: inbox.NewID(inbox.PrefixMessage), ConversationID: conv.ID, AccountID: acct.ID, Channel: acct.Channel,
		Direction: inbox.Out, Date: time.Now().UTC(), From: inbox.Address{Name: acct.Name, Address: acct.Address},
		To: to, Text: r.Text, InReplyTo: quoteRemote, ThreadReason: inbox.ReasonChat, Read: true,
		Attachments: append([]inbox.Attachment(nil), r.Attachments...),
	}
	for i := range m.Attachments {
		m.Attachments[i].Fetched = true
	}
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
			return err
		}
		return st.SetDeliveryTx(ctx, tx, &inbox.Delivery{MessageID: m.ID, AccountID: acct.ID, State: inbox.DeliverySending})
	})
	if err != nil {
		return inbox.Message{}, err
	}
	to1 := ""
	if len(to) > 0 {
		to1 = to[0].Address
	}
	res, sendErr := conn.Send(ctx, Outbound{MessageID: m.ID, Thread: thread, To: to1, Text: r.Text, QuoteID: quoteRemote, Attachments: r.Attachments})
	// Record the outcome even if the caller's context ended meanwhile.
	rctx := context.WithoutCancel(ctx)
	if sendErr != nil {
		if err := st.SetDelivery(rctx, &inbox.Delivery{MessageID: m.ID, AccountID: acct.ID, State: inbox.DeliveryFailed, Error: Describe(sendErr)}); err != nil {
			return m, fmt.Errorf("channels: %w (and recording the failure failed: %v)", sendErr, err)
		}
		return m, sendErr
	}
	if err := st.SetDelivery(rctx, &inbox.Delivery{MessageID: m.ID, AccountID: acct.ID, State: inbox.DeliverySent, RemoteID: res.RemoteID}); err != nil {
		return m, err
	}
	if res.RemoteID != "" {
		if err := st.SetMessageRemoteID(rctx, m.ID, res.RemoteID); err != nil {
			return m, err
		}
		m.MessageID = res.RemoteID
	}
	return m, nil
}

// SettleUnknownSends marks the messages an account left "sending" (the
// program stopped mid-send) as failed with what to check, since a request
// cut short may or may not have reached the customer. Nothing is resent
// behind the owner's back; the message stays in its conversation.
func SettleUnknownSends(ctx context.Context, st *store.Store, accountID string) error {
	ds, err := st.PendingDeliveries(ctx, accountID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		d.State = inbox.DeliveryFailed
		d.Error = "Tidings stopped while sending this message, so it may or may not have arrived: check the chat before sending it again"
		if err := st.SetDelivery(ctx, &d); err != nil {
			return err
		}
	}
	return nil
}
