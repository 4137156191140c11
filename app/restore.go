package app

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"tidings/backend/store"
)

// RestorePlan says what restoring a backup would do, before anything is
// replaced: what the backup holds (it passed the store's checks), what the
// store holds now (and will be replaced), and where the current store will
// be kept.
type RestorePlan struct {
	Backup  store.BackupInfo `json:"backup"`
	Current store.BackupInfo `json:"current"`
	// Older is true when the backup's schema is older than this
	// version's; it is brought up to date after the restore.
	Older bool `json:"older"`
	// KeepAs is the folder the current store is kept in, as
	// "<store>.before-restore-<time>".
	KeepAs string `json:"keep_as"`
}

// InspectRestore checks a backup with the store's own restore checks
// (a Tidings store, intact, not from a newer version) and says what a
// restore would replace. It changes nothing.
func (x *Archive) InspectRestore(path string) (RestorePlan, error) {
	if strings.TrimSpace(path) == "" {
		return RestorePlan{}, fmt.Errorf("restore: choose a backup file")
	}
	a := x.in
	p := ResolvePath(path)
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return RestorePlan{}, fmt.Errorf("restore: there is no file at %s", p)
	}
	b, err := store.CheckBackup(a.ctx, p)
	if err != nil {
		return RestorePlan{}, fmt.Errorf("restore: this file cannot be restored, nothing was changed: %w", err)
	}
	cur, err := a.ws.Store.StoreCounts(a.ctx)
	if err != nil {
		return RestorePlan{}, err
	}
	return RestorePlan{Backup: b, Current: cur, Older: b.Version < cur.Version, KeepAs: cur.Path + ".before-restore-…"}, nil
}

// Restore replaces everything in the store with the backup at path while
// the window stays open. The backup is checked first (InspectRestore's
// checks) and the current store is kept beside it as a verified backup;
// then the window is told to reload everything (store:restored and
// inbox:changed).
func (x *Archive) Restore(path string) (store.RestoreInfo, error) {
	if strings.TrimSpace(path) == "" {
		return store.RestoreInfo{}, fmt.Errorf("restore: choose a backup file")
	}
	ctx, done, err := x.begin(JobRestore)
	if err != nil {
		return store.RestoreInfo{}, err
	}
	defer done()
	a := x.in
	// The sync loops hold accounts and cursors of the store being replaced:
	// stop them, and start them on whatever the store holds afterwards.
	for _, s := range x.Syncers {
		s.Shutdown()
	}
	defer func() {
		for _, s := range x.Syncers {
			s.Startup(a.ctx)
		}
	}()
	ri, err := a.ws.Store.RestoreLive(ctx, ResolvePath(path), x.now())
	if err != nil {
		return ri, err
	}
	if a.emit != nil {
		a.emit.Emit(EventRestored, ri)
	}
	a.changed()
	return ri, nil
}

// ForgetPreview counts exactly what ForgetContact would delete, so the
// confirmation can name it; it deletes nothing.
func (x *Archive) ForgetPreview(contactID string) (store.ForgetResult, error) {
	return x.in.ws.Store.ForgetPreview(x.in.ctx, contactID)
}

// ForgetContact deletes everything held on one contact: their
// conversations, messages, notes and identities, and nothing of anyone
// else's.
func (x *Archive) ForgetContact(contactID string) (store.ForgetResult, error) {
	a := x.in
	res, err := a.ws.Store.ForgetContact(a.ctx, contactID)
	if err == nil {
		a.changed()
	}
	return res, err
}
