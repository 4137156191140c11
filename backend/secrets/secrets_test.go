package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zalando/go-keyring"

	"tidings/backend/inbox"
)

func TestFileFallback(t *testing.T) {
	dir := t.TempDir()
	var notices []string
	s := Open(dir, &Options{NoKeyring: true, Notice: func(m string) { notices = append(notices, m) }})
	if err := s.Set(PasswordKey("acc_1"), "hunter2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(PasswordKey("acc_2"), "other"); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 {
		t.Errorf("notices: got %d %q, want exactly one", len(notices), notices)
	}
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode: got %v, want 0600", fi.Mode().Perm())
	}
	got, err := s.Get(PasswordKey("acc_1"))
	if err != nil || got != "hunter2" {
		t.Errorf("get: got %q %v, want hunter2", got, err)
	}
	if err := s.Delete(PasswordKey("acc_1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(PasswordKey("acc_1")); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("after delete: got %v, want ErrNotFound", err)
	}
	// A second store on the same directory says nothing again.
	notices = nil
	s2 := Open(dir, &Options{NoKeyring: true, Notice: func(m string) { notices = append(notices, m) }})
	if err := s2.Set(PasswordKey("acc_3"), "x"); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 0 {
		t.Errorf("second run: got notices %q, want none", notices)
	}
}

func TestKeyring(t *testing.T) {
	keyring.MockInit()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent") // let Open try the (mock) keyring
	dir := t.TempDir()
	s := Open(dir, nil)
	if err := s.Set(PasswordKey("acc_1"), "hunter2"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(PasswordKey("acc_1")); err != nil || got != "hunter2" {
		t.Errorf("get: got %q %v, want hunter2", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file fallback written while the keyring answered: %v", err)
	}
	if s.Where() != "the OS keyring" {
		t.Errorf("where: got %q", s.Where())
	}
}
