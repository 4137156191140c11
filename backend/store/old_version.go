package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"time"
)

// CreateAtVersion writes a new store at path whose schema stops at version
// (the first version migrations, as an older Tidings left it) and runs
// seedSQL in it, the data written with that version's SQL; then it closes
// the file. It lets tests prove that a backup made by an older version is
// restored and brought up to date (cmd/oldstore, restore_old_test.go).
func CreateAtVersion(ctx context.Context, path string, version int, seedSQL string) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	if version < 1 || version > len(all) {
		return fmt.Errorf("store: no schema version %d (this Tidings has 1 to %d)", version, len(all))
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: %s exists; give a new file", path)
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open(driverName, "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	s := &Store{db: db, path: path, now: time.Now}
	for _, m := range all[:version] {
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	if seedSQL == "" {
		return nil
	}
	if err := s.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, seedSQL)
		return err
	}); err != nil {
		return fmt.Errorf("store: seed at version %d: %w", version, err)
	}
	return nil
}
