package app

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"tidings/backend/inbox"
	"tidings/backend/syncer"
)

// PrefetchSettingKey is the store setting that limits which attachments
// are downloaded ahead during sync, by size in bytes. Absent or "0" means
// no limit: every attachment is downloaded with its message.
const PrefetchSettingKey = syncer.PrefetchSetting

// maxPrefetchLimit is the largest limit accepted (1 GiB).
const maxPrefetchLimit = 1 << 30

// GetPrefetchLimit returns the size limit, in bytes, for attachments
// downloaded ahead; 0 means no limit.
func (a *Inbox) GetPrefetchLimit() (int64, error) {
	v, err := a.ws.Store.Setting(a.ctx, PrefetchSettingKey)
	if err != nil {
		return 0, fmt.Errorf("app: reading the attachment download limit: %w", err)
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		// A hand-edited value that makes no sense is no limit, not a failure.
		return 0, nil
	}
	return n, nil
}

// SetPrefetchLimit sets the size limit, in bytes, for attachments
// downloaded ahead; 0 removes the limit. Larger attachments are listed but
// fetched only on demand.
func (a *Inbox) SetPrefetchLimit(bytes int64) error {
	if bytes < 0 || bytes > maxPrefetchLimit {
		return fmt.Errorf("app: the attachment download limit must be between 0 (no limit) and %d bytes, not %d: %w", int64(maxPrefetchLimit), bytes, inbox.ErrInvalid)
	}
	if err := a.ws.Store.SetSetting(a.ctx, PrefetchSettingKey, strconv.FormatInt(bytes, 10)); err != nil {
		return fmt.Errorf("app: saving the attachment download limit: %w", err)
	}
	return nil
}

// UnfetchedAttachments lists the IDs of a conversation's attachments that
// were not downloaded ahead; the window shows "Download" on them.
func (a *Inbox) UnfetchedAttachments(conversationID string) ([]string, error) {
	return a.ws.Store.UnfetchedAttachments(a.ctx, conversationID)
}

// AttachmentFile is an attachment's data read from the store, for the
// window to open or save without any network.
type AttachmentFile struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	// Data is the content, base64-encoded.
	Data string `json:"data"`
}

// AttachmentData reads an attachment from the store. One that was not
// downloaded ahead fails with inbox.ErrNotAvailable: it has to be fetched
// first.
func (a *Inbox) AttachmentData(id string) (AttachmentFile, error) {
	at, err := a.ws.Store.Attachment(a.ctx, id)
	if err != nil {
		return AttachmentFile{}, err
	}
	if !at.Fetched && len(at.Data) == 0 {
		return AttachmentFile{}, fmt.Errorf("app: %s was not downloaded yet: %w", at.Name, inbox.ErrNotAvailable)
	}
	return AttachmentFile{ID: at.ID, Name: at.Name, ContentType: at.ContentType, Size: int64(len(at.Data)),
		Data: base64.StdEncoding.EncodeToString(at.Data)}, nil
}
