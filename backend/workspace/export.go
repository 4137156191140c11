package workspace

import (
	"context"
	"fmt"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Selection names a slice of the history to export: explicit
// conversations, everything of one contact, a search or a view. The zero
// value selects everything.
type Selection struct {
	ConversationIDs []string `json:"conversation_ids"`
	ContactID       string   `json:"contact_id"`
	Query           string   `json:"query"`
	Status          string   `json:"status"`
	Label           string   `json:"label"`
}

// SelectConversations resolves a selection to conversation IDs, newest
// first. It returns nil for "everything".
func (w *Workspace) SelectConversations(ctx context.Context, s Selection) ([]string, error) {
	if len(s.ConversationIDs) > 0 {
		for _, id := range s.ConversationIDs {
			if _, err := w.Store.Conversation(ctx, id); err != nil {
				return nil, err
			}
		}
		return s.ConversationIDs, nil
	}
	if s.ContactID != "" {
		if _, err := w.Store.Contact(ctx, s.ContactID); err != nil {
			return nil, err
		}
		rows, err := w.Store.Conversations(ctx, store.ListFilter{ContactID: s.ContactID})
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		return ids, nil
	}
	if s.Query == "" && (s.Status == "" || s.Status == "all") && s.Label == "" {
		return nil, nil
	}
	views, err := w.Conversations(ctx, ListOptions{Query: s.Query, Status: s.Status, Label: s.Label})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(views))
	for _, v := range views {
		ids = append(ids, v.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("workspace: the selection matches no conversation: %w", inbox.ErrNotFound)
	}
	return ids, nil
}
