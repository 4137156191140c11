package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// driverName is the database/sql driver the store opens: modernc's SQLite
// with a prepared statement cache per connection.
//
// database/sql prepares, runs and finalizes a statement for every Exec and
// Query on a *sql.DB or *sql.Tx, and modernc.org/sqlite keeps no cache, so
// parsing SQL was a fifth of the CPU of filing a message (about fifteen
// statements each). Reusing statements halves the CPU of an import.
const driverName = "sqlite-stmtcache"

func init() { sql.Register(driverName, cachingDriver{}) }

// maxCachedStmts bounds the cache of one connection; the store's
// statements are a few hundred distinct strings at most.
const maxCachedStmts = 512

type cachingDriver struct{}

// baseDriver is modernc's registered driver: the one that functions added
// with sqlite.RegisterScalarFunction (search's tidings_has) are attached to.
var baseDriver = func() driver.Driver {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic("store: the sqlite driver is not registered: " + err.Error())
	}
	defer db.Close()
	return db.Driver()
}()

// Open opens a modernc connection and wraps it.
func (cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := baseDriver.Open(name)
	if err != nil {
		return nil, err
	}
	fc, ok := c.(fullConn)
	if !ok {
		return c, nil
	}
	return &cachingConn{c: fc, stmts: map[string]*cachedStmt{}}, nil
}

// fullConn is what modernc's connection implements.
type fullConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.SessionResetter
	driver.Validator
	driver.Pinger
}

// cachedStmt is a prepared statement; busy while rows read from it.
type cachedStmt struct {
	s    driver.Stmt
	busy bool
	temp bool // not in the cache: closed after use
}

// cachingConn keeps one prepared statement per SQL string. database/sql
// uses a connection from one goroutine at a time, so it needs no lock.
type cachingConn struct {
	c     fullConn
	stmts map[string]*cachedStmt
}

func (c *cachingConn) Prepare(q string) (driver.Stmt, error) { return c.c.Prepare(q) }
func (c *cachingConn) Begin() (driver.Tx, error)             { return c.c.Begin() } //nolint:staticcheck // required by driver.Conn
func (c *cachingConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.c.BeginTx(ctx, o)
}
func (c *cachingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, q)
}
func (c *cachingConn) ResetSession(ctx context.Context) error { return c.c.ResetSession(ctx) }
func (c *cachingConn) IsValid() bool                          { return c.c.IsValid() }
func (c *cachingConn) Ping(ctx context.Context) error         { return c.c.Ping(ctx) }

// Close finalizes the cached statements and closes the connection.
func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		s.s.Close()
	}
	c.stmts = nil
	return c.c.Close()
}

// single reports whether q is one statement (multi-statement scripts such
// as migrations run uncached).
func single(q string) bool {
	return !strings.Contains(strings.TrimRight(strings.TrimSpace(q), ";"), ";")
}

// stmt returns the cached statement for q, or a temporary one when the
// cached one is busy (rows of it are still being read).
func (c *cachingConn) stmt(ctx context.Context, q string) (*cachedStmt, error) {
	if s, ok := c.stmts[q]; ok && !s.busy {
		return s, nil
	}
	ps, err := c.c.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{s: ps, temp: true}
	if _, taken := c.stmts[q]; !taken && len(c.stmts) < maxCachedStmts {
		s.temp = false
		c.stmts[q] = s
	}
	return s, nil
}

// ExecContext runs q on a cached statement.
func (c *cachingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if !single(q) {
		return c.c.ExecContext(ctx, q, args)
	}
	s, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	res, err := s.s.(driver.StmtExecContext).ExecContext(ctx, args)
	if s.temp {
		s.s.Close()
	}
	return res, err
}

// QueryContext runs q on a cached statement; the statement stays busy
// until the rows are closed.
func (c *cachingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if !single(q) {
		return c.c.QueryContext(ctx, q, args)
	}
	s, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	r, err := s.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		if s.temp {
			s.s.Close()
		}
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: r, s: s}, nil
}

// cachedRows frees its statement when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	if r.s.temp {
		r.s.s.Close()
	}
	return err
}
