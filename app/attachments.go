package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/syncer"
)

// FetchAttachment downloads an attachment that was left on the server
// (larger than the download limit, attachments.prefetch_max_bytes) and
// stores it, so it opens, saves and reads offline from then on. Its message
// is downloaded whole, so the stored original (and any export of it) holds
// the attachment too. When the server cannot be reached it fails saying
// so, and nothing changes.
func (a *Inbox) FetchAttachment(id string) error {
	ctx, cancel := context.WithTimeout(a.ctx, 2*time.Minute)
	defer cancel()
	sy := syncer.New(a.ws.Store, &syncer.Options{Secrets: a.secretStore()})
	at, err := sy.FetchAttachment(ctx, id)
	if err != nil {
		return err
	}
	if m, err := a.ws.Store.Message(ctx, at.MessageID); err == nil {
		a.changed(m.ConversationID)
	}
	return nil
}

// SaveAttachment writes an attachment into the user's Downloads folder
// (a new name when one exists) and returns where it went. Nothing is opened
// or run.
func (a *Inbox) SaveAttachment(id string) (string, error) {
	at, err := a.ws.Store.Attachment(a.ctx, id)
	if err != nil {
		return "", err
	}
	if len(at.Data) == 0 && at.Size > 0 {
		return "", fmt.Errorf("app: %s was not downloaded from the server yet: %w", at.Name, inbox.ErrNotAvailable)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("app: no home folder to save into: %w", err)
	}
	dir := filepath.Join(home, "Downloads")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("app: cannot create %s: %w", dir, err)
	}
	name := safeFileName(at.Name)
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			name = fmt.Sprintf("%s (%d)%s", base, i, ext)
			continue
		}
		if err != nil {
			return "", fmt.Errorf("app: cannot save %s: %w", path, err)
		}
		if _, err := f.Write(at.Data); err != nil {
			f.Close()
			os.Remove(path)
			return "", fmt.Errorf("app: cannot save %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return "", fmt.Errorf("app: cannot save %s: %w", path, err)
		}
		return path, nil
	}
	return "", fmt.Errorf("app: too many files named like %s in %s: %w", at.Name, dir, inbox.ErrConflict)
}

// safeFileName keeps a sender's file name from leaving the folder or
// hiding: no separators, no leading dots, no control characters.
func safeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' || r == ':' {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "" {
		name = "attachment"
	}
	if len(name) > 180 {
		ext := filepath.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		name = name[:180-len(ext)] + ext
	}
	return name
}
