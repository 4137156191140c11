package workspace

import (
	"context"
	"strings"

	"tidings/backend/store"
)

// ContactPanelView is the window's customer panel: the contact, the notes
// about them, and every conversation with them on every channel.
type ContactPanelView struct {
	Contact       ContactView        `json:"contact"`
	Notes         string             `json:"notes"`
	Conversations []ConversationView `json:"conversations"`
}

// ContactPanel gathers a contact's panel, conversations newest first.
func (w *Workspace) ContactPanel(ctx context.Context, contactID string) (ContactPanelView, error) {
	c, err := w.Store.Contact(ctx, contactID)
	if err != nil {
		return ContactPanelView{}, err
	}
	rows, err := w.Store.Conversations(ctx, store.ListFilter{ContactID: contactID, Limit: 500})
	if err != nil {
		return ContactPanelView{}, err
	}
	v := ContactPanelView{Contact: contactView(c), Notes: c.Notes, Conversations: make([]ConversationView, 0, len(rows))}
	for _, r := range rows {
		v.Conversations = append(v.Conversations, conversationView(r))
	}
	return v, nil
}

// FindContacts lists contacts whose name or any identity contains query
// (case-insensitive), by name; an empty query lists the first ones.
func (w *Workspace) FindContacts(ctx context.Context, query string, limit int) ([]ContactView, error) {
	all, err := w.Store.Contacts(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	q := strings.ToLower(strings.TrimSpace(query))
	out := []ContactView{}
	for _, c := range all {
		v := contactView(c)
		if q != "" && !contactMatches(v, q) {
			continue
		}
		out = append(out, v)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func contactMatches(v ContactView, q string) bool {
	if strings.Contains(strings.ToLower(v.Name), q) {
		return true
	}
	for _, i := range v.Identities {
		if strings.Contains(strings.ToLower(i.Address), q) || strings.Contains(strings.ToLower(i.Display), q) {
			return true
		}
	}
	return false
}
