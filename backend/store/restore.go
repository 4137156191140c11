package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// RestoreInfo says what Restore did.
type RestoreInfo struct {
	BackupInfo
	// Previous is where the store that was replaced now lives ("" if there
	// was none).
	Previous string `json:"previous,omitempty"`
}

// Restore replaces the store file at storePath with the backup at
// backupPath. Nothing is replaced until the backup has passed CheckBackup
// and been copied beside the store and checked again. The previous store
// (with its WAL folded in) is kept as "<store>.before-restore-<time>". The
// store must not be open: the window must be closed while restoring.
// A backup with an older schema is upgraded when the restored store is
// opened; one with a newer schema is refused with ErrTooNew.
func Restore(ctx context.Context, backupPath, storePath string, now time.Time) (RestoreInfo, error) {
	var ri RestoreInfo
	info, err := CheckBackup(ctx, backupPath)
	if err != nil {
		return ri, fmt.Errorf("store: restore refused, nothing was changed: %w", err)
	}
	ri.BackupInfo = info
	if same, _ := sameFile(backupPath, storePath); same {
		return ri, fmt.Errorf("store: %s is the store itself; nothing to restore", backupPath)
	}
	dir := filepath.Dir(storePath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ri, fmt.Errorf("store: restore: %w", err)
	}
	staged := storePath + ".restoring-" + randomHex()
	defer os.Remove(staged)
	if err := copyFile(backupPath, staged); err != nil {
		return ri, fmt.Errorf("store: restore refused, nothing was changed: copy %s: %w", backupPath, err)
	}
	if _, err := CheckBackup(ctx, staged); err != nil {
		return ri, fmt.Errorf("store: restore refused, the copied backup failed its check, nothing was changed: %w", err)
	}
	if _, err := os.Stat(storePath); err == nil {
		if err := checkpoint(ctx, storePath); err != nil {
			return ri, fmt.Errorf("store: restore refused: the current store could not be closed cleanly (is Tidings still running?): %w", err)
		}
		prev := storePath + ".before-restore-" + now.UTC().Format("20060102-150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if _, err := os.Stat(storePath + suffix); err != nil {
				continue
			}
			if err := os.Rename(storePath+suffix, prev+suffix); err != nil {
				undoMoves(storePath, prev)
				return ri, fmt.Errorf("store: restore: keep previous store: %w", err)
			}
		}
		ri.Previous = prev
	}
	if err := os.Rename(staged, storePath); err != nil {
		if ri.Previous != "" {
			undoMoves(storePath, ri.Previous)
		}
		return ri, fmt.Errorf("store: restore: %w", err)
	}
	syncDir(dir)
	st, err := Open(ctx, storePath, nil)
	if err != nil {
		os.Remove(storePath)
		os.Remove(storePath + "-wal")
		os.Remove(storePath + "-shm")
		if ri.Previous != "" {
			undoMoves(storePath, ri.Previous)
		}
		return ri, fmt.Errorf("store: restored store would not open, the previous one is back in place: %w", err)
	}
	st.Close()
	return ri, nil
}

// undoMoves puts a previous store (and its WAL files) back.
func undoMoves(storePath, prev string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(prev + suffix); err == nil {
			os.Rename(prev+suffix, storePath+suffix)
		}
	}
}

// checkpoint folds a store's WAL into its main file.
func checkpoint(ctx context.Context, path string) error {
	if err := checkHeader(path); err != nil {
		return nil // not a database: it is simply moved aside
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	var busy, logN, done int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logN, &done); err != nil {
		return err
	}
	if busy != 0 {
		return fmt.Errorf("store: %s is in use", path)
	}
	db.Close()
	// The last connection to close removes the WAL; if it is still there,
	// another process (a running Tidings) has the store open.
	if _, err := os.Stat(path + "-wal"); err == nil {
		return fmt.Errorf("store: %s is open in another program (close Tidings first)", path)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
