package app

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"tidings/backend/channels"
	"tidings/backend/inbox"
)

// AddDraftFilePaths attaches files by their paths to the draft under key:
// files dropped on the composer in the native window, where the webview
// hands over paths (Wails' file drop). Go reads the files, so nothing large
// crosses the bridge. As with the chooser, nothing is attached when one of
// the files cannot go (too large for the channel, unreadable, a folder):
// the error names it.
func (a *Inbox) AddDraftFilePaths(key, accountID string, paths []string) ([]DraftFileView, error) {
	k, acct, err := a.draftAccount(key, accountID)
	if err != nil {
		return nil, err
	}
	return a.attachPaths(k, acct, paths)
}

// attachPaths checks every file against the channel's limits by its size
// on disk before reading any of them, then reads and attaches them in
// order. When one cannot join (together they are too large for an email,
// or a file changed meanwhile), the ones attached before it are taken off
// again: all or nothing.
func (a *Inbox) attachPaths(k string, acct inbox.Account, paths []string) ([]DraftFileView, error) {
	for _, p := range paths {
		size, err := draftFileSize(p)
		if err != nil {
			return nil, err
		}
		if err := a.checkDraftFile(k, acct, filepath.Base(p), size); err != nil {
			return nil, err
		}
	}
	out := make([]DraftFileView, 0, len(paths))
	var total int64
	for _, p := range paths {
		f, err := readDraftFile(p)
		if err == nil {
			var v DraftFileView
			if v, err = a.addDraftFile(k, acct, f); err == nil {
				out = append(out, v)
				total += v.Size
				continue
			}
		}
		for _, v := range out {
			if rerr := a.ws.Store.DeleteDraftAttachment(a.ctx, v.ID); rerr != nil {
				return nil, fmt.Errorf("%w (and %s stays attached: %v)", err, v.Name, rerr)
			}
		}
		return nil, err
	}
	slog.Info("app: files attached by path", "files", len(out), "bytes", total)
	return out, nil
}

// draftFileSize is the size of the regular file at path, or an error
// saying why it cannot be attached.
func draftFileSize(path string) (int64, error) {
	if !filepath.IsAbs(path) {
		return 0, fmt.Errorf("app: %q is not a full path to a file: %w", path, inbox.ErrInvalid)
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("app: cannot read %s: %w", path, err)
	}
	if st.IsDir() {
		return 0, fmt.Errorf("app: %s is a folder; attach the files inside it: %w", filepath.Base(path), inbox.ErrInvalid)
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("app: %s is not a file: %w", path, inbox.ErrInvalid)
	}
	if st.Size() > maxDraftFiles {
		return 0, fmt.Errorf("app: %s is %s; a draft holds at most %s: %w", filepath.Base(path), channels.Size(st.Size()), channels.Size(maxDraftFiles), inbox.ErrInvalid)
	}
	return st.Size(), nil
}
