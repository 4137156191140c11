// Package store keeps everything Tidings knows in one SQLite file: accounts
// and their sync cursors, contacts and identities, conversations, messages
// with their original bytes, attachments, labels, notes, the outbox and a
// full-text index (FTS5). SQL lives only here, one file per aggregate.
//
// Every connection runs with WAL, foreign keys and a busy timeout. The schema
// is an embedded, append-only list of migrations, each applied in its own
// transaction together with its version number.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the name of the store inside the data directory.
const FileName = "tidings.db"

// applicationID marks a SQLite file as a Tidings store ("TDNG").
const applicationID = 1414743623

// Errors returned by Open.
var (
	// ErrTooNew means the file was written by a newer Tidings.
	ErrTooNew = errors.New("store: written by a newer version of Tidings")
	// ErrForeign means the file is a database, but not a Tidings store.
	ErrForeign = errors.New("store: not a Tidings store")
	// ErrCorrupt means the file is not a readable SQLite database.
	ErrCorrupt = errors.New("store: file is not a database or is damaged")
)

// Store is an open Tidings store. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time
}

// Options tune Open. A nil *Options means defaults.
type Options struct {
	// ReadOnly opens the store without writing: no migration runs, and a
	// store that needs one is refused.
	ReadOnly bool
	// Now replaces the clock, for tests.
	Now func() time.Time
	// CacheMiB is the page cache per connection; 0 means 8 MiB.
	CacheMiB int
}

// Path returns the store's file path inside dir.
func Path(dir string) string { return filepath.Join(dir, FileName) }

// Open opens (creating if needed) the store at path and brings its schema up
// to date.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	if _, err := os.Stat(path); err == nil {
		if err := checkHeader(path); err != nil {
			return nil, err
		}
	} else if opts.ReadOnly {
		return nil, fmt.Errorf("store: %s does not exist: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if !opts.ReadOnly {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	q.Add("_pragma", "synchronous(NORMAL)")
	// Page cache per connection (SQLite's default is 2 MiB). Ingest touches a
	// dozen indexes per message: 32 MiB measured 20% less CPU importing, but
	// four connections of it cost the window ~200 MB resident, so the default
	// is 8 MiB and bulk work (import, benchmarks) asks for more.
	cacheMiB := opts.CacheMiB
	if cacheMiB <= 0 {
		cacheMiB = 8
	}
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheMiB*1024))
	q.Add("_txlock", "immediate")
	if opts.ReadOnly {
		q.Add("mode", "ro")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	// Keep every connection open: reopening one rebuilds its page cache.
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, path: path, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.migrate(ctx, opts.ReadOnly); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkHeader refuses files that are not SQLite before the driver touches
// them, so a foreign file is never turned into a database.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: cannot read %s: %w", path, err)
	}
	defer f.Close()
	var hdr [16]byte
	n, _ := f.Read(hdr[:])
	if n == 0 {
		return nil // an empty file becomes a new store
	}
	if n < 16 || string(hdr[:]) != "SQLite format 3\x00" {
		return fmt.Errorf("%w: %s", ErrCorrupt, path)
	}
	return nil
}

// wrapOpenErr turns driver errors into the store's own.
func wrapOpenErr(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %s", ErrCorrupt, path)
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return fmt.Errorf("store: cannot write %s (check the folder's permissions): %w", path, err)
		}
	}
	if strings.Contains(err.Error(), "unable to open database file") {
		return fmt.Errorf("store: cannot open %s (check the folder exists and is writable): %w", path, err)
	}
	return fmt.Errorf("store: %s: %w", path, err)
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the database handle to the store's tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// FilePath returns the path of the SQLite file.
func (s *Store) FilePath() string { return s.path }

// Tx runs fn in one write transaction, committing when fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return ended(ctx, err)
	}
	if err := tx.Commit(); err != nil {
		return ended(ctx, fmt.Errorf("store: commit: %w", err))
	}
	return nil
}

// ended says why a transaction failed when its context ended: database/sql
// rolls it back then, and a statement run under a context that does not
// end (DeferRefresh) fails only with "transaction has already been
// committed or rolled back". The caller must see the cancellation (an
// import stopped, a sync interrupted), not a store fault.
func ended(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
