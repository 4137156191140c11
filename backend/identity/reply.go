package identity

import (
	"context"
	"fmt"
	"sort"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// ReplyOption is one way to answer a customer: an existing conversation on
// one of the business's accounts, or a new one to an identity of the
// customer that has none yet.
type ReplyOption struct {
	// ConversationID is "" for a new conversation.
	ConversationID string        `json:"conversation_id"`
	AccountID      string        `json:"account_id"`
	AccountName    string        `json:"account_name"`
	Channel        inbox.Channel `json:"channel"`
	// Address is the customer's identity on that channel.
	Address string `json:"address"`
	// LastInbound is when the customer last wrote there.
	LastInbound time.Time `json:"last_inbound"`
	// Default marks the channel the customer last used.
	Default bool `json:"default"`
}

// ReplyOptions lists every channel a conversation's customer can be
// answered on, the one they last wrote on first and marked Default.
func ReplyOptions(ctx context.Context, st *store.Store, conversationID string) ([]ReplyOption, error) {
	conv, err := st.Conversation(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	accts, err := st.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]inbox.Account{}
	byChannel := map[inbox.Channel]inbox.Account{}
	for _, a := range accts {
		byID[a.ID] = a
		// A new conversation goes out from the channel's first account,
		// a real one before the demo's.
		if b, ok := byChannel[a.Channel]; !ok || b.Demo() && !a.Demo() {
			byChannel[a.Channel] = a
		}
	}
	convs := []inbox.Summary{{Conversation: conv}}
	var contact inbox.Contact
	if conv.ContactID != "" {
		if convs, err = st.Conversations(ctx, store.ListFilter{ContactID: conv.ContactID}); err != nil {
			return nil, err
		}
		if contact, err = st.Contact(ctx, conv.ContactID); err != nil {
			return nil, err
		}
	}
	addrOf := func(ch inbox.Channel) string {
		for _, id := range contact.Identities {
			if id.Channel == ch {
				return id.Address
			}
		}
		return ""
	}
	var out []ReplyOption
	covered := map[inbox.Channel]bool{}
	for _, c := range convs {
		a, ok := byID[c.AccountID]
		if !ok {
			continue // the account was removed: history stays, replies cannot go there
		}
		last, err := st.LastInboundAt(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		o := ReplyOption{ConversationID: c.ID, AccountID: a.ID, AccountName: a.Name, Channel: c.Channel, Address: addrOf(c.Channel)}
		if last > 0 {
			o.LastInbound = time.UnixMilli(last).UTC()
		}
		out = append(out, o)
		covered[c.Channel] = true
	}
	for _, id := range contact.Identities {
		a, ok := byChannel[id.Channel]
		if !ok || covered[id.Channel] {
			continue
		}
		out = append(out, ReplyOption{AccountID: a.ID, AccountName: a.Name, Channel: id.Channel, Address: id.Address})
		covered[id.Channel] = true
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastInbound.After(out[j].LastInbound) })
	if len(out) > 0 {
		out[0].Default = true
	}
	return out, nil
}

// PickReply returns the option to reply with: the conversation on the
// channel asked for, or by default the one the customer last used.
func PickReply(ctx context.Context, st *store.Store, conversationID string, channel inbox.Channel) (ReplyOption, error) {
	opts, err := ReplyOptions(ctx, st, conversationID)
	if err != nil {
		return ReplyOption{}, err
	}
	for _, o := range opts {
		if channel == "" && o.Default || channel != "" && o.Channel == channel {
			return o, nil
		}
	}
	if channel != "" {
		return ReplyOption{}, fmt.Errorf("identity: the customer cannot be reached on %s from any connected account: %w", channel, inbox.ErrNotFound)
	}
	return ReplyOption{}, fmt.Errorf("identity: conversation %s has no account to reply from: %w", conversationID, inbox.ErrNotFound)
}
