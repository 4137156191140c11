package app

import (
	"fmt"
	"strings"

	"tidings/backend/identity"
	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

// Contact returns the customer panel for a contact: identities on every
// channel, notes, and all their conversations.
func (a *Inbox) Contact(id string) (workspace.ContactPanelView, error) {
	return a.ws.ContactPanel(a.ctx, id)
}

// FindContacts lists contacts matching query by name or address, for the
// merge picker.
func (a *Inbox) FindContacts(query string, limit int) ([]workspace.ContactView, error) {
	return a.ws.FindContacts(a.ctx, query, limit)
}

// UpdateContact renames a contact and replaces the notes about them.
func (a *Inbox) UpdateContact(id, name, notes string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("app: a contact needs a name: %w", inbox.ErrInvalid)
	}
	if err := a.ws.Store.UpdateContact(a.ctx, id, name, notes); err != nil {
		return err
	}
	a.changed()
	return nil
}

// MergeContacts moves everything of mergeID onto keepID (they are one
// person) and returns the merge's ID, for UndoMerge.
func (a *Inbox) MergeContacts(keepID, mergeID string) (string, error) {
	if keepID == mergeID {
		return "", fmt.Errorf("app: cannot merge a contact with itself: %w", inbox.ErrInvalid)
	}
	id, err := a.ws.Store.MergeContacts(a.ctx, keepID, mergeID)
	if err != nil {
		return "", err
	}
	a.changed()
	return id, nil
}

// UndoMerge reverses a merge and returns the restored contact's ID.
func (a *Inbox) UndoMerge(mergeID string) (string, error) {
	id, err := identity.Undo(a.ctx, a.ws.Store, mergeID)
	if err != nil {
		return "", err
	}
	a.changed()
	return id, nil
}
