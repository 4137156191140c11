package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// FolderChoice is one of the server's folders and whether Tidings syncs it.
// Inbox, Sent and Archive are always synced (Always); any other folder only
// on request.
type FolderChoice struct {
	Name   string     `json:"name"`
	Role   email.Role `json:"role,omitempty"`
	Synced bool       `json:"synced"`
	Always bool       `json:"always"`
}

// FolderChoices lists an email account's server folders, marking those it
// syncs.
func (s *Syncer) FolderChoices(ctx context.Context, a inbox.Account) ([]FolderChoice, error) {
	sess, cfg, err := s.Connect(ctx, a)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	all, err := sess.Folders(ctx)
	if err != nil {
		return nil, err
	}
	return choices(all, cfg.Folders), nil
}

func choices(all []email.Folder, extra []string) []FolderChoice {
	synced := map[string]bool{}
	always := map[string]bool{}
	for _, f := range email.PickFolders(all, extra) {
		synced[f.Name] = true
	}
	for _, f := range email.PickFolders(all, nil) {
		always[f.Name] = true
	}
	out := make([]FolderChoice, 0, len(all))
	for _, f := range all {
		out = append(out, FolderChoice{Name: f.Name, Role: f.Role, Synced: synced[f.Name], Always: always[f.Name]})
	}
	return out
}

// SetFolders chooses the extra folders an email account syncs besides
// Inbox, Sent and Archive. Every name must be one the server lists; the
// choice is saved only then. A folder left out stops syncing: what was
// fetched from it stays. It returns the account as saved and its folders.
func (s *Syncer) SetFolders(ctx context.Context, a inbox.Account, extra []string) (inbox.Account, []FolderChoice, error) {
	sess, cfg, err := s.Connect(ctx, a)
	if err != nil {
		return a, nil, err
	}
	defer sess.Close()
	all, err := sess.Folders(ctx)
	if err != nil {
		return a, nil, err
	}
	var clean []string
	seen := map[string]bool{}
	for _, e := range extra {
		e = strings.TrimSpace(e)
		if e == "" || seen[strings.ToLower(e)] {
			continue
		}
		seen[strings.ToLower(e)] = true
		clean = append(clean, e)
	}
	if err := missingFolders(all, clean); err != nil {
		return a, nil, err
	}
	// Keep the server's spelling, and only folders beyond the three.
	cfg.Folders = nil
	for _, f := range email.PickFolders(all, clean) {
		if seen[strings.ToLower(f.Name)] && f.Role != email.RoleInbox && f.Role != email.RoleSent && f.Role != email.RoleArchive {
			cfg.Folders = append(cfg.Folders, f.Name)
		}
	}
	raw, err := mergeConfig(a.Config, cfg)
	if err != nil {
		return a, nil, err
	}
	if err := s.st.UpdateAccountConfig(ctx, a.ID, a.Address, raw); err != nil {
		return a, nil, err
	}
	a.Config = raw
	return a, choices(all, cfg.Folders), nil
}

// mergeConfig writes cfg's folders into an account's stored settings,
// keeping every other key as it was.
func mergeConfig(stored []byte, cfg email.Config) ([]byte, error) {
	m := map[string]any{}
	if len(stored) > 0 {
		if err := json.Unmarshal(stored, &m); err != nil {
			return nil, fmt.Errorf("syncer: the account's settings are not JSON: %w", err)
		}
	}
	if len(cfg.Folders) == 0 {
		delete(m, "folders")
	} else {
		m["folders"] = cfg.Folders
	}
	return json.Marshal(m)
}
