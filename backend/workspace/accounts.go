package workspace

import (
	"context"
	"encoding/json"
)

// AccountView is one row of `tidings account list --json`. Settings never
// hold a secret.
type AccountView struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Channel    string         `json:"channel"`
	Address    string         `json:"address"`
	Settings   map[string]any `json:"settings"`
	LastSyncAt string         `json:"last_sync_at"`
	LastError  string         `json:"last_error"`
}

// Accounts lists the connected accounts.
func (w *Workspace) Accounts(ctx context.Context) ([]AccountView, error) {
	accs, err := w.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AccountView, 0, len(accs))
	for _, a := range accs {
		v := AccountView{ID: a.ID, Name: a.Name, Channel: string(a.Channel), Address: a.Address,
			Settings: map[string]any{}, LastSyncAt: rfc3339(a.LastSyncAt), LastError: a.LastError}
		json.Unmarshal(a.Config, &v.Settings)
		out = append(out, v)
	}
	return out, nil
}
