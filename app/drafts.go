package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tidings/backend/inbox"
)

// DraftView is an unsent composer, saved as the user types so that it
// survives a crash or a restart.
type DraftView struct {
	Mode string `json:"mode"`
	// AccountID is the account a new message goes out from.
	AccountID string   `json:"account_id,omitempty"`
	To        []string `json:"to"`
	Cc        []string `json:"cc"`
	Bcc       []string `json:"bcc"`
	Subject   string   `json:"subject"`
	Body      string   `json:"body"`
	UpdatedAt string   `json:"updated_at"`
}

// maxDraft bounds a saved draft.
const maxDraft = 1 << 20

func draftKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 200 {
		return "", fmt.Errorf("app: a draft needs a key of at most 200 characters: %w", inbox.ErrInvalid)
	}
	return "draft." + key, nil
}

// SaveDraft keeps the composer's content under key (the conversation and
// mode, or "new").
func (a *Inbox) SaveDraft(key string, d DraftView) error {
	k, err := draftKey(key)
	if err != nil {
		return err
	}
	d.UpdatedAt = time.Now().UTC().Format(time.RFC3339)
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if len(b) > maxDraft {
		return fmt.Errorf("app: the draft is larger than %d bytes: %w", maxDraft, inbox.ErrInvalid)
	}
	return a.ws.Store.SetSetting(a.ctx, k, string(b))
}

// Draft returns the draft saved under key; found is false when there is none.
func (a *Inbox) Draft(key string) (DraftView, error) {
	k, err := draftKey(key)
	if err != nil {
		return DraftView{}, err
	}
	s, err := a.ws.Store.Setting(a.ctx, k)
	if err != nil {
		return DraftView{}, err
	}
	if s == "" {
		return DraftView{}, fmt.Errorf("app: no draft %q: %w", key, inbox.ErrNotFound)
	}
	var d DraftView
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return DraftView{}, fmt.Errorf("app: draft %q is damaged: %w", key, err)
	}
	return d, nil
}

// DeleteDraft forgets the draft under key, its text and its files (after
// sending or discarding).
func (a *Inbox) DeleteDraft(key string) error {
	k, err := draftKey(key)
	if err != nil {
		return err
	}
	if err := a.ws.Store.DeleteDraftAttachments(a.ctx, k); err != nil {
		return err
	}
	return a.ws.Store.SetSetting(a.ctx, k, "")
}

// Preference returns a window preference (pane widths, ...), "" when unset.
func (a *Inbox) Preference(key string) (string, error) {
	return a.ws.Store.Setting(a.ctx, "ui."+key)
}

// SetPreference stores a window preference.
func (a *Inbox) SetPreference(key, value string) error {
	if len(value) > 64<<10 {
		return fmt.Errorf("app: preference %q is too large: %w", key, inbox.ErrInvalid)
	}
	return a.ws.Store.SetSetting(a.ctx, "ui."+key, value)
}
