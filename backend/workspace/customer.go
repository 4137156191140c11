package workspace

import (
	"context"
	"sort"

	"tidings/backend/store"
)

// TimelineEntry is one message in a customer's timeline across channels.
type TimelineEntry struct {
	ConversationID string      `json:"conversation_id"`
	Channel        string      `json:"channel"`
	Message        MessageView `json:"message"`
}

// CustomerView is one customer: the contact, every conversation on every
// channel, and all their messages in one timeline, oldest first.
type CustomerView struct {
	Contact       ContactView        `json:"contact"`
	Conversations []ConversationView `json:"conversations"`
	Timeline      []TimelineEntry    `json:"timeline"`
}

// Customer returns a contact with every conversation and one timeline.
func (w *Workspace) Customer(ctx context.Context, contactID string) (CustomerView, error) {
	c, err := w.Store.Contact(ctx, contactID)
	if err != nil {
		return CustomerView{}, err
	}
	convs, err := w.Store.Conversations(ctx, store.ListFilter{ContactID: contactID})
	if err != nil {
		return CustomerView{}, err
	}
	v := CustomerView{Contact: contactView(c), Conversations: []ConversationView{}, Timeline: []TimelineEntry{}}
	type dated struct {
		e  TimelineEntry
		at int64
	}
	var all []dated
	for _, s := range convs {
		v.Conversations = append(v.Conversations, conversationView(s))
		ms, err := w.Store.Messages(ctx, s.ID)
		if err != nil {
			return CustomerView{}, err
		}
		for _, m := range ms {
			all = append(all, dated{TimelineEntry{ConversationID: s.ID, Channel: string(s.Channel), Message: MessageViewOf(m)}, m.Date.UnixMilli()})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	for _, d := range all {
		v.Timeline = append(v.Timeline, d.e)
	}
	return v, nil
}
