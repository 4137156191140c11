package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"tidings/backend/channels/telegram"
	"tidings/backend/secrets"
	"tidings/backend/store"
	"tidings/backend/workspace"
)

// AccountStopper ends whatever runs for an account (a sync loop, a chat
// connection) when the account is removed. Mail and Channels are ones.
type AccountStopper interface {
	StopAccount(accountID string)
}

// Accounts is bound to the window as window.go.app.Accounts: the settings
// screen's account list, rename and remove.
type Accounts struct {
	ws       *workspace.Workspace
	emit     Emitter
	secrets  *secrets.Store
	stoppers []AccountStopper
	ctx      context.Context
}

// NewAccounts returns the bound service; stoppers are told when an account
// goes.
func NewAccounts(ws *workspace.Workspace, emit Emitter, sec *secrets.Store, stoppers ...AccountStopper) *Accounts {
	return &Accounts{ws: ws, emit: emit, secrets: sec, stoppers: stoppers, ctx: context.Background()}
}

// Startup is called by Wails with the window's context.
func (a *Accounts) Startup(ctx context.Context) { a.ctx = ctx }

// History counts the conversations and messages an account brought in:
// what stays in the inbox when it is removed.
func (a *Accounts) History(accountID string) (store.AccountHistory, error) {
	return a.ws.Store.AccountHistory(a.ctx, accountID)
}

// Rename gives an account a new display name.
func (a *Accounts) Rename(accountID, name string) error {
	if err := a.ws.Store.RenameAccount(a.ctx, accountID, name); err != nil {
		return err
	}
	a.changed()
	return nil
}

// Remove stops syncing an account, forgets its password or token and
// deletes its settings. Its conversations and messages stay (the local
// history is kept); it returns how many.
func (a *Accounts) Remove(accountID string) (store.AccountHistory, error) {
	return a.remove(accountID, false)
}

// RemoveWithHistory is Remove that also deletes, from this computer, every
// conversation and message the account brought in (nothing on the
// server); it returns how many were deleted.
func (a *Accounts) RemoveWithHistory(accountID string) (store.AccountHistory, error) {
	return a.remove(accountID, true)
}

func (a *Accounts) remove(accountID string, history bool) (store.AccountHistory, error) {
	h, err := a.ws.Store.AccountHistory(a.ctx, accountID)
	if err != nil {
		return h, err
	}
	for _, s := range a.stoppers {
		s.StopAccount(accountID)
	}
	if history {
		h, err = a.ws.Store.DeleteAccountWithHistory(a.ctx, accountID)
	} else {
		err = a.ws.Store.DeleteAccount(a.ctx, accountID)
	}
	if err != nil {
		return h, fmt.Errorf("app: remove account: %w", err)
	}
	if a.secrets != nil {
		for _, key := range []string{secrets.PasswordKey(accountID), secrets.TokenKey(accountID), telegram.TokenKey(accountID)} {
			if err := a.secrets.Delete(key); err != nil {
				slog.Warn("app: forgetting a removed account's secret", "account", accountID, "err", err)
			}
		}
	}
	a.changed()
	return h, nil
}

func (a *Accounts) changed() {
	if a.emit != nil {
		a.emit.Emit(EventChanged, []string{})
	}
}

// StopAccount ends an account's sync loop and forgets its status line
// (the account is being removed).
func (m *Mail) StopAccount(accountID string) {
	m.mu.Lock()
	l := m.loops[accountID]
	delete(m.loops, accountID)
	delete(m.status, accountID)
	m.mu.Unlock()
	if l == nil {
		return
	}
	l.cancel()
	select {
	case <-l.done:
	case <-time.After(15 * time.Second):
		slog.Warn("app: a removed account's sync loop is still stopping", "account", accountID)
	}
}

// StopAccount ends a chat account's connection loop.
func (c *Channels) StopAccount(accountID string) { c.runner.Stop(accountID) }
