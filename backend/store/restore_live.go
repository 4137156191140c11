package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// restorer is what modernc's connection offers for SQLite's online backup
// API in the restoring direction.
type restorer interface {
	NewRestore(srcURI string) (*sqlite.Backup, error)
}

// RestoreLive replaces everything in this open store with the backup at
// backupPath while the store stays open, so the window can restore without
// closing: SQLite's online backup API copies the backup into the live
// database in one write transaction, which every other connection of the
// store then sees (the schema cookie changes, so they re-read the schema).
//
// It makes the same checks as Restore before anything is replaced: the
// backup passes CheckBackup (a Tidings store, intact, not from a newer
// version), is copied beside the store and checked again. The current
// contents are first written as a verified backup beside the store,
// "<store>.before-restore-<time>", reported as Previous. A backup with an
// older schema is brought up to date after the copy. If anything fails
// before the copy, the store is unchanged.
func (s *Store) RestoreLive(ctx context.Context, backupPath string, now time.Time) (RestoreInfo, error) {
	var ri RestoreInfo
	info, err := CheckBackup(ctx, backupPath)
	if err != nil {
		return ri, fmt.Errorf("store: restore refused, nothing was changed: %w", err)
	}
	ri.BackupInfo = info
	if same, _ := sameFile(backupPath, s.path); same {
		return ri, fmt.Errorf("store: %s is the store itself; nothing to restore", backupPath)
	}
	staged := s.path + ".restoring-" + randomHex()
	defer os.Remove(staged)
	if err := copyFile(backupPath, staged); err != nil {
		return ri, fmt.Errorf("store: restore refused, nothing was changed: copy %s: %w", backupPath, err)
	}
	if _, err := CheckBackup(ctx, staged); err != nil {
		return ri, fmt.Errorf("store: restore refused, the copied backup failed its check, nothing was changed: %w", err)
	}
	prev := s.path + ".before-restore-" + now.UTC().Format("20060102-150405")
	for i := 2; ; i++ {
		if _, err := os.Stat(prev); errors.Is(err, os.ErrNotExist) {
			break
		}
		prev = fmt.Sprintf("%s.before-restore-%s-%d", s.path, now.UTC().Format("20060102-150405"), i)
	}
	if _, err := s.Backup(ctx, prev); err != nil {
		return ri, fmt.Errorf("store: restore refused, the current store could not be kept first, nothing was changed: %w", err)
	}
	ri.Previous = prev
	if err := s.copyIn(ctx, staged); err != nil {
		os.Remove(prev)
		ri.Previous = ""
		return ri, fmt.Errorf("store: restore failed, nothing was changed: %w", err)
	}
	if err := s.migrate(ctx, false); err != nil {
		return ri, fmt.Errorf("store: restored %s but could not bring its schema up to date (the previous store is kept at %s): %w", backupPath, prev, err)
	}
	var res string
	if err := s.db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil || res != "ok" {
		return ri, fmt.Errorf("%w: the restored store fails its check (%s %v); the previous store is kept at %s", ErrCorrupt, res, err, prev)
	}
	if v, err := s.Version(ctx); err == nil {
		ri.Version = v
	}
	return ri, nil
}

// copyIn runs the online backup API from the file at src into this store,
// on one of its own connections.
func (s *Store) copyIn(ctx context.Context, src string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	uri := "file:" + (&url.URL{Path: src}).EscapedPath() + "?" + url.Values{"mode": {"ro"}}.Encode()
	return conn.Raw(func(dc any) error {
		var r restorer
		switch c := dc.(type) {
		case *cachingConn:
			r, _ = c.c.(restorer)
		case restorer:
			r = c
		}
		if r == nil {
			return fmt.Errorf("store: the SQLite driver offers no online backup")
		}
		b, err := r.NewRestore(uri)
		if err != nil {
			return fmt.Errorf("store: start copying %s: %w", src, err)
		}
		for tries := 0; ; tries++ {
			more, err := b.Step(-1)
			if err == nil && !more {
				break
			}
			if err != nil && !busy(err) || tries > 50 || ctx.Err() != nil {
				b.Finish()
				if err == nil {
					err = ctx.Err()
				}
				return fmt.Errorf("store: copy %s into the store: %w", src, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		return b.Finish()
	})
}

func busy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// StoreCounts counts what a store holds, for saying what a restore will
// replace.
func (s *Store) StoreCounts(ctx context.Context) (BackupInfo, error) {
	info := BackupInfo{Path: s.path}
	if fi, err := os.Stat(s.path); err == nil {
		info.Bytes = fi.Size()
	}
	v, err := s.Version(ctx)
	if err != nil {
		return info, fmt.Errorf("store: %w", err)
	}
	info.Version = v
	for _, c := range []struct {
		q string
		n *int
	}{
		{`SELECT count(*) FROM conversations`, &info.Conversations},
		{`SELECT count(*) FROM messages`, &info.Messages},
		{`SELECT count(*) FROM contacts`, &info.Contacts},
	} {
		if err := s.db.QueryRowContext(ctx, c.q).Scan(c.n); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return info, fmt.Errorf("store: %w", err)
		}
	}
	return info, nil
}
