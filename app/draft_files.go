package app

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"tidings/backend/channels"
	"tidings/backend/inbox"
)

// maxDraftFiles bounds what one draft may hold, whatever the channel.
const maxDraftFiles = 100 << 20

// DraftFileView is a file attached to a draft, listed without its bytes.
type DraftFileView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// NewDraftFile is a file the window read itself (dropped on the composer).
type NewDraftFile struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	// Data arrives base64-encoded in JSON.
	Data []byte `json:"data"`
}

func draftFileView(f inbox.DraftAttachment) DraftFileView {
	return DraftFileView{ID: f.ID, Name: f.Name, ContentType: f.ContentType, Size: f.Size}
}

// DraftFiles lists the files attached to the draft under key.
func (a *Inbox) DraftFiles(key string) ([]DraftFileView, error) {
	k, err := draftKey(key)
	if err != nil {
		return nil, err
	}
	list, err := a.ws.Store.DraftAttachments(a.ctx, k, false)
	if err != nil {
		return nil, err
	}
	out := make([]DraftFileView, 0, len(list))
	for _, f := range list {
		out = append(out, draftFileView(f))
	}
	return out, nil
}

// AddDraftFile attaches a file the window read (drag and drop) to the
// draft under key, if the account's channel can carry it.
func (a *Inbox) AddDraftFile(key, accountID string, f NewDraftFile) (DraftFileView, error) {
	k, acct, err := a.draftAccount(key, accountID)
	if err != nil {
		return DraftFileView{}, err
	}
	return a.addDraftFile(k, acct, f)
}

// draftAccount is the store key of the draft under key and the account it
// is written from.
func (a *Inbox) draftAccount(key, accountID string) (string, inbox.Account, error) {
	k, err := draftKey(key)
	if err != nil {
		return "", inbox.Account{}, err
	}
	acct, err := a.ws.Store.Account(a.ctx, accountID)
	return k, acct, err
}

// PickDraftFiles opens the system's file chooser (with the window's title
// for it) and attaches the chosen files to the draft under key. Nothing is
// attached when the user cancels, or when one of the files cannot go (too
// large, unreadable): the error names it.
func (a *Inbox) PickDraftFiles(key, accountID, title string) ([]DraftFileView, error) {
	k, acct, err := a.draftAccount(key, accountID)
	if err != nil {
		return nil, err
	}
	paths, err := a.fileDialog().OpenFiles(a.ctx, title)
	if err != nil {
		return nil, fmt.Errorf("app: the file chooser failed: %w", err)
	}
	return a.attachPaths(k, acct, paths)
}

// RemoveDraftFile takes a file off its draft.
func (a *Inbox) RemoveDraftFile(id string) error { return a.ws.Store.DeleteDraftAttachment(a.ctx, id) }

func (a *Inbox) addDraftFile(k string, acct inbox.Account, f NewDraftFile) (DraftFileView, error) {
	f.Name = safeFileName(filepath.Base(strings.ReplaceAll(f.Name, `\`, "/")))
	if err := a.checkDraftFile(k, acct, f.Name, int64(len(f.Data))); err != nil {
		return DraftFileView{}, err
	}
	if f.ContentType == "" || strings.ContainsAny(f.ContentType, "\r\n") {
		f.ContentType = contentType(f.Name, f.Data)
	}
	d := inbox.DraftAttachment{DraftKey: k, Name: f.Name, ContentType: f.ContentType, Data: f.Data}
	if err := a.ws.Store.AddDraftAttachment(a.ctx, &d); err != nil {
		return DraftFileView{}, err
	}
	return draftFileView(d), nil
}

// checkDraftFile says whether a file of size bytes may join the draft: the
// channel must carry files, each within its MaxUploadSize; an email's
// files together too, since the server limits the whole message.
func (a *Inbox) checkDraftFile(k string, acct inbox.Account, name string, size int64) error {
	caps := a.capabilities(acct)
	if !caps.Attachments {
		return fmt.Errorf("app: %s cannot carry files from %s: %w", acct.Channel, acct.Name, inbox.ErrInvalid)
	}
	if size == 0 {
		return fmt.Errorf("app: %s is empty: %w", name, inbox.ErrInvalid)
	}
	limit := caps.MaxUploadSize
	if limit <= 0 || limit > maxDraftFiles {
		limit = maxDraftFiles
	}
	if size > limit {
		return fmt.Errorf("app: %s is %s; %s accepts files up to %s: %w", name, channels.Size(size), acct.Channel, channels.Size(limit), inbox.ErrInvalid)
	}
	have, err := a.ws.Store.DraftAttachments(a.ctx, k, false)
	if err != nil {
		return err
	}
	var total int64
	for _, f := range have {
		total += f.Size
	}
	if acct.Channel == inbox.ChannelEmail && total+size > limit {
		return fmt.Errorf("app: with %s the files come to %s; an email may carry %s in all: %w", name, channels.Size(total+size), channels.Size(limit), inbox.ErrInvalid)
	}
	if total+size > maxDraftFiles {
		return fmt.Errorf("app: with %s the files come to %s; a draft holds at most %s: %w", name, channels.Size(total+size), channels.Size(maxDraftFiles), inbox.ErrInvalid)
	}
	return nil
}

func readDraftFile(path string) (NewDraftFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return NewDraftFile{}, fmt.Errorf("app: cannot read %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return NewDraftFile{}, fmt.Errorf("app: %s is not a file: %w", path, inbox.ErrInvalid)
	}
	if st.Size() > maxDraftFiles {
		return NewDraftFile{}, fmt.Errorf("app: %s is %s; a draft holds at most %s: %w", filepath.Base(path), channels.Size(st.Size()), channels.Size(maxDraftFiles), inbox.ErrInvalid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return NewDraftFile{}, fmt.Errorf("app: cannot read %s: %w", path, err)
	}
	name := filepath.Base(path)
	return NewDraftFile{Name: name, ContentType: contentType(name, b), Data: b}, nil
}

// contentType guesses a file's type by its extension, else its first bytes.
func contentType(name string, data []byte) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); t != "" {
		if mt, _, err := mime.ParseMediaType(t); err == nil {
			return mt
		}
	}
	if len(data) == 0 {
		return "application/octet-stream"
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	return mt
}

// checkFiles tells, before anything is stored, whether a draft's files can
// go out from acct: the same rules as when they were attached, since the
// account may have changed since.
func (a *Inbox) checkFiles(acct inbox.Account, files []inbox.DraftAttachment) error {
	if len(files) == 0 {
		return nil
	}
	caps := a.capabilities(acct)
	if !caps.Attachments {
		return fmt.Errorf("app: %s cannot carry files from %s; remove them to send: %w", acct.Channel, acct.Name, inbox.ErrInvalid)
	}
	var total int64
	for _, f := range files {
		total += f.Size
		if caps.MaxUploadSize > 0 && f.Size > caps.MaxUploadSize {
			return fmt.Errorf("app: %s is %s; %s accepts files up to %s: %w", f.Name, channels.Size(f.Size), acct.Channel, channels.Size(caps.MaxUploadSize), inbox.ErrInvalid)
		}
	}
	if acct.Channel == inbox.ChannelEmail && caps.MaxUploadSize > 0 && total > caps.MaxUploadSize {
		return fmt.Errorf("app: the files come to %s; an email may carry %s in all: %w", channels.Size(total), channels.Size(caps.MaxUploadSize), inbox.ErrInvalid)
	}
	return nil
}

// attachments turns a draft's files into a message's attachments.
func attachments(files []inbox.DraftAttachment) []inbox.Attachment {
	var out []inbox.Attachment
	for _, f := range files {
		out = append(out, inbox.Attachment{Name: f.Name, ContentType: f.ContentType, Size: f.Size, Data: f.Data, Fetched: true})
	}
	return out
}

// forgetDraft drops a sent message's draft, text and files. A failure only
// leaves a draft behind, never loses anything, so it is logged, not
// returned.
func (a *Inbox) forgetDraft(key string) {
	if key == "" {
		return
	}
	if err := a.DeleteDraft(key); err != nil {
		slog.Warn("app: a sent message's draft stays", "err", err)
	}
}

// MoveDraftFiles hands the files of the draft under from to the draft
// under to, when the reply moves to another of the customer's channels;
// Send checks them against the new channel's limits.
func (a *Inbox) MoveDraftFiles(from, to string) ([]DraftFileView, error) {
	f, err := draftKey(from)
	if err != nil {
		return nil, err
	}
	t, err := draftKey(to)
	if err != nil {
		return nil, err
	}
	if err := a.ws.Store.MoveDraftAttachments(a.ctx, f, t); err != nil {
		return nil, err
	}
	return a.DraftFiles(to)
}
