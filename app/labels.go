package app

import (
	"fmt"
	"regexp"

	"tidings/backend/inbox"
)

var labelColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// SetLabelColor gives a label its colour (#rrggbb).
func (a *Inbox) SetLabelColor(name, color string) error {
	if !labelColor.MatchString(color) {
		return fmt.Errorf("app: label colour %q is not #rrggbb: %w", color, inbox.ErrInvalid)
	}
	if err := a.ws.Store.SetLabelColor(a.ctx, name, color); err != nil {
		return err
	}
	a.changed()
	return nil
}
