package app

import (
	"fmt"

	"tidings/backend/inbox"
)

// CreateLabel adds a label from the settings screen; color is #rrggbb or
// empty.
func (a *Inbox) CreateLabel(name, color string) error {
	if color != "" && !labelColor.MatchString(color) {
		return fmt.Errorf("app: label colour %q is not #rrggbb: %w", color, inbox.ErrInvalid)
	}
	if err := a.ws.Store.CreateLabel(a.ctx, name, color); err != nil {
		return err
	}
	a.changed()
	return nil
}

// RenameLabel renames a label; its conversations keep it.
func (a *Inbox) RenameLabel(from, to string) error {
	if err := a.ws.Store.RenameLabel(a.ctx, from, to); err != nil {
		return err
	}
	a.changed()
	return nil
}

// DeleteLabel removes a label from every conversation and the sidebar; it
// returns how many conversations carried it.
func (a *Inbox) DeleteLabel(name string) (int, error) {
	n, err := a.ws.Store.DeleteLabel(a.ctx, name)
	if err != nil {
		return 0, err
	}
	a.changed()
	return n, nil
}
