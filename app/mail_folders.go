package app

import (
	"context"
	"time"

	"tidings/backend/syncer"
)

// folderTimeout bounds listing or choosing folders: one connection, one
// LIST.
const folderTimeout = 30 * time.Second

// Folders lists an email account's server folders and which of them sync
// (Settings → Accounts → Folders).
func (m *Mail) Folders(accountID string) ([]syncer.FolderChoice, error) {
	a, err := m.account(accountID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(m.context(), folderTimeout)
	defer cancel()
	return m.sy.FolderChoices(ctx, a)
}

// SetFolders chooses the folders an account syncs besides Inbox, Sent and
// Archive, then restarts its sync with the new choice. A folder the server
// does not list is refused with its name, and nothing changes.
func (m *Mail) SetFolders(accountID string, extra []string) ([]syncer.FolderChoice, error) {
	a, err := m.account(accountID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(m.context(), folderTimeout)
	defer cancel()
	_, got, err := m.sy.SetFolders(ctx, a, extra)
	if err != nil {
		return nil, err
	}
	if err := m.Retry(accountID); err != nil {
		return got, err
	}
	return got, nil
}

func (m *Mail) context() context.Context {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ctx
}
