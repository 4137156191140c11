package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrateFromEmptyFile(t *testing.T) {
	s, _ := openTemp(t)
	v, err := s.Version(context.Background())
	if err != nil || v != LatestVersion() {
		t.Fatalf("version: got %d, %v, want %d", v, err, LatestVersion())
	}
	// An existing, zero-byte file is a new store too.
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, nil, 0o600)
	s2, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("open empty file: %v", err)
	}
	s2.Close()
}

// TestMigrateFromEveryVersion builds a store at each earlier version, puts
// data in it, and checks that opening it brings it up to date with the data
// intact.
func TestMigrateFromEveryVersion(t *testing.T) {
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for v := 0; v < len(all); v++ {
		t.Run(all[v].name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			old := &Store{db: db, path: path, now: fixedNow}
			for _, m := range all[:v] {
				if err := old.apply(ctx, m); err != nil {
					t.Fatalf("apply %s: %v", m.name, err)
				}
			}
			if v >= 1 {
				for _, q := range []string{
					`INSERT INTO contacts (id, name, created_at) VALUES ('ct_1', 'Ada', 1)`,
					`INSERT INTO conversations (id, contact_id, channel, subject, status, created_at, last_message_at) VALUES ('cv_1', 'ct_1', 'email', 'Hello', 'closed', 1, 5)`,
					`INSERT INTO messages (id, conversation_id, channel, direction, sent_at, received_at, subject, body_text) VALUES ('msg_1', 'cv_1', 'email', 'in', 5, 5, 'Hello', 'old text')`,
				} {
					if _, err := db.Exec(q); err != nil {
						t.Fatalf("seed at version %d: %v", v, err)
					}
				}
			}
			db.Close()
			s, err := Open(ctx, path, nil)
			if err != nil {
				t.Fatalf("open from version %d: %v", v, err)
			}
			defer s.Close()
			if got, _ := s.Version(ctx); got != LatestVersion() {
				t.Fatalf("version after open: got %d, want %d", got, LatestVersion())
			}
			if v >= 1 {
				c, err := s.Conversation(ctx, "cv_1")
				if err != nil || c.Subject != "Hello" || c.Status != "closed" {
					t.Fatalf("conversation after migration: got %+v, %v", c, err)
				}
				m, err := s.Message(ctx, "msg_1")
				if err != nil || m.Text != "old text" {
					t.Fatalf("message after migration: got %+v, %v", m, err)
				}
			}
		})
	}
}

func TestMigrationsAreNumberedWithoutGaps(t *testing.T) {
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range all {
		if m.version != i+1 {
			t.Errorf("migration %s: got version %d, want %d", m.name, m.version, i+1)
		}
	}
}

func TestRefusesNewerStore(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)`, LatestVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	_, err := Open(context.Background(), path, nil)
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("open newer store: got %v, want ErrTooNew", err)
	}
	if !strings.Contains(err.Error(), "update Tidings") {
		t.Errorf("error should say what to do: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("a refused open changed the file")
	}
}

func TestRefusesForeignAndCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()

	foreign := filepath.Join(dir, "foreign.db")
	db, _ := sql.Open("sqlite", "file:"+foreign)
	if _, err := db.Exec(`CREATE TABLE songs (title TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, foreign, nil); !errors.Is(err, ErrForeign) {
		t.Errorf("foreign SQLite file: got %v, want ErrForeign", err)
	}
	db, _ = sql.Open("sqlite", "file:"+foreign)
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'accounts'`).Scan(&n)
	db.Close()
	if n != 0 {
		t.Error("a refused foreign file got Tidings tables")
	}

	other := filepath.Join(dir, "other-app.db")
	db, _ = sql.Open("sqlite", "file:"+other)
	db.Exec(`PRAGMA application_id = 42`)
	db.Close()
	if _, err := Open(ctx, other, nil); !errors.Is(err, ErrForeign) {
		t.Errorf("file with another application_id: got %v, want ErrForeign", err)
	}

	corrupt := filepath.Join(dir, "corrupt.db")
	junk := []byte(strings.Repeat("this is not a database\n", 100))
	os.WriteFile(corrupt, junk, 0o600)
	if _, err := Open(ctx, corrupt, nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("text file: got %v, want ErrCorrupt", err)
	}
	if got, _ := os.ReadFile(corrupt); string(got) != string(junk) {
		t.Error("a refused corrupt file was changed")
	}

	// A real header followed by garbage.
	damaged := filepath.Join(dir, "damaged.db")
	os.WriteFile(damaged, append([]byte("SQLite format 3\x00"), junk...), 0o600)
	if _, err := Open(ctx, damaged, nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged database: got %v, want ErrCorrupt", err)
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	// Hold several connections at once so the pool opens new ones.
	var conns []*sql.Conn
	for i := 0; i < 4; i++ {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		var mode string
		var fk, busy int
		c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
		c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy)
		if mode != "wal" || fk != 1 || busy < 1000 {
			t.Errorf("connection %d: got journal_mode=%s foreign_keys=%d busy_timeout=%d, want wal, 1, >=1000", i, mode, fk, busy)
		}
		c.Close()
	}
}
