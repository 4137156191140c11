package connectors

import (
	"context"
	"fmt"

	"tidings/backend/channels"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// SendReply answers in a chat conversation through its account's connector:
// the message is stored first (see channels.Deliver), then sent. It returns
// the stored message even when sending failed; a channels.KindRejected error
// is a per-message failure (the customer blocked the bot), anything else is
// the account's. `tidings reply` and the window call it for chat
// conversations; email replies go through the outbox.
func SendReply(ctx context.Context, st *store.Store, secrets channels.Secrets, r channels.Reply) (inbox.Message, error) {
	conv, err := st.Conversation(ctx, r.ConversationID)
	if err != nil {
		return inbox.Message{}, err
	}
	if !Chat(conv.Channel) {
		return inbox.Message{}, fmt.Errorf("connectors: %s replies go through the outbox: %w", conv.Channel, inbox.ErrInvalid)
	}
	if conv.AccountID == "" {
		return inbox.Message{}, fmt.Errorf("connectors: the account of conversation %s was removed: %w", conv.ID, inbox.ErrInvalid)
	}
	acct, err := st.Account(ctx, conv.AccountID)
	if err != nil {
		return inbox.Message{}, err
	}
	conn, err := Registry.Open(acct, secrets)
	if err != nil {
		return inbox.Message{}, err
	}
	defer conn.Close()
	if err := conn.Connect(ctx); err != nil {
		return inbox.Message{}, err
	}
	return channels.Deliver(ctx, st, acct, conn, r)
}
