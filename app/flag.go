package app

// SetFlagged flags or unflags a message; for email the sync sends the
// change to the server (\Flagged).
func (a *Inbox) SetFlagged(messageID string, flagged bool) error {
	conv, err := a.ws.Store.SetMessageFlagged(a.ctx, messageID, flagged)
	if err != nil {
		return err
	}
	a.changed(conv)
	return nil
}
