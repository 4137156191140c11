package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"

	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
)

// BackupInfo describes a verified snapshot of a store.
type BackupInfo struct {
	Path          string `json:"path"`
	Bytes         int64  `json:"bytes"`
	Version       int    `json:"schema_version"`
	Conversations int    `json:"conversations"`
	Messages      int    `json:"messages"`
	Contacts      int    `json:"contacts"`
}

// Backup writes a consistent single-file snapshot of the store to dest while
// the store stays open and writable. It uses VACUUM INTO, which reads the
// whole database inside one read transaction, so concurrent writers neither
// block nor tear the copy. The copy is written beside dest under a temporary
// name, checked with CheckBackup (integrity, schema version, counters that a
// torn copy would get wrong) and synced to disk before it is renamed to
// dest: a failed backup leaves neither a partial file nor a changed dest.
// An existing dest is replaced only if it is itself a Tidings store.
func (s *Store) Backup(ctx context.Context, dest string) (BackupInfo, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup path %q: %w", dest, err)
	}
	if same, _ := sameFile(abs, s.path); same {
		return BackupInfo{}, fmt.Errorf("store: a backup cannot overwrite the store it copies (%s)", abs)
	}
	if fi, err := os.Stat(abs); err == nil {
		if fi.IsDir() {
			return BackupInfo{}, fmt.Errorf("store: backup path %s is a folder; name a file inside it", abs)
		}
		if _, err := CheckBackup(ctx, abs); err != nil {
			return BackupInfo{}, fmt.Errorf("store: %s exists and is not a Tidings backup, so it is left alone: %w", abs, err)
		}
	}
	dir := filepath.Dir(abs)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return BackupInfo{}, fmt.Errorf("store: backup folder %s does not exist", dir)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".tmp-"+randomHex())
	// Create the file first (VACUUM INTO accepts an empty one), so a folder
	// the user may not write gets its own error rather than SQLite's
	// "unable to open database file".
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return BackupInfo{}, fmt.Errorf("store: cannot write a backup in %s: %w (choose another folder)", dir, err)
		}
		return BackupInfo{}, fmt.Errorf("store: backup to %s: %w", abs, err)
	}
	f.Close()
	defer os.Remove(tmp)
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup to %s failed (is the folder writable, is the disk full?): %w", abs, err)
	}
	if err := syncFile(tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup to %s: %w", abs, err)
	}
	info, err := CheckBackup(ctx, tmp)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: the snapshot failed verification, %s is unchanged: %w", abs, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup to %s: %w", abs, err)
	}
	syncDir(dir)
	info.Path = abs
	return info, nil
}

// CheckBackup opens a backup read-only and checks that it is a Tidings store
// this version can open (not newer), that SQLite finds it intact, that no
// foreign key dangles and that every conversation's message counter matches
// its messages, which a copy torn by a concurrent writer would violate.
func CheckBackup(ctx context.Context, path string) (BackupInfo, error) {
	info := BackupInfo{Path: path}
	fi, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("store: cannot read backup %s: %w", path, err)
	}
	if fi.IsDir() {
		return info, fmt.Errorf("store: backup %s is a folder, not a file", path)
	}
	info.Bytes = fi.Size()
	if err := checkHeader(path); err != nil {
		return info, err
	}
	if fi.Size() == 0 {
		return info, fmt.Errorf("%w: %s is empty", ErrCorrupt, path)
	}
	db, err := openReadOnly(path)
	if err != nil {
		return info, err
	}
	defer db.Close()
	var appID int
	if err := db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return info, wrapOpenErr(path, err)
	}
	if appID != applicationID {
		return info, fmt.Errorf("%w: %s", ErrForeign, path)
	}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&info.Version); err != nil {
		return info, fmt.Errorf("%w: %s has no schema version: %v", ErrForeign, path, err)
	}
	if latest := LatestVersion(); info.Version > latest {
		return info, fmt.Errorf("%w: backup %s is at schema version %d, this Tidings knows up to %d; update Tidings to restore it", ErrTooNew, path, info.Version, latest)
	}
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&res); err != nil {
		return info, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	if res != "ok" {
		return info, fmt.Errorf("%w: %s: integrity check: %s", ErrCorrupt, path, res)
	}
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return info, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	dangling := rows.Next()
	rows.Close()
	if dangling {
		return info, fmt.Errorf("%w: %s: a row refers to a missing row (foreign key check)", ErrCorrupt, path)
	}
	var torn int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM conversations c
		WHERE c.message_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)`).Scan(&torn); err != nil {
		return info, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	if torn > 0 {
		return info, fmt.Errorf("%w: %s: %d conversations' counters disagree with their messages", ErrCorrupt, path, torn)
	}
	for _, c := range []struct {
		q string
		n *int
	}{
		{`SELECT count(*) FROM conversations`, &info.Conversations},
		{`SELECT count(*) FROM messages`, &info.Messages},
		{`SELECT count(*) FROM contacts`, &info.Contacts},
	} {
		if err := db.QueryRowContext(ctx, c.q).Scan(c.n); err != nil {
			return info, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
	}
	return info, nil
}

// openReadOnly opens any SQLite file without writing to it, not even a WAL.
func openReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, wrapOpenErr(path, err)
	}
	return db, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func randomHex() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}
