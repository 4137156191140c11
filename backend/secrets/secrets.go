// Package secrets keeps passwords and OAuth2 tokens out of the store, the
// logs, exports and backups. They live in the OS keyring (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows, through
// github.com/zalando/go-keyring). Where no keyring answers (a headless Linux
// box), they go to a file in the data directory that only the user can read,
// and the user is told so once, when that file is created.
package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"tidings/backend/inbox"
)

// FileName is the fallback file inside the data directory.
const FileName = "secrets.json"

// Options tune Open. A nil *Options means defaults.
type Options struct {
	// Service names the keyring entries (default "tidings").
	Service string
	// NoKeyring skips the OS keyring and always uses the file.
	NoKeyring bool
	// Notice receives the one-time notice that the file fallback is in use.
	Notice func(msg string)
}

// Store reads and writes secrets.
type Store struct {
	dir     string
	service string
	keyring bool
	notice  func(string)
	mu      sync.Mutex
}

// Open returns the secret store for a data directory. It does no I/O.
func Open(dataDir string, opts *Options) *Store {
	s := &Store{dir: dataDir, service: "tidings", keyring: true}
	if opts != nil {
		if opts.Service != "" {
			s.service = opts.Service
		}
		s.keyring = !opts.NoKeyring
		s.notice = opts.Notice
	}
	// Without a session bus, go-keyring would try to start one: skip it.
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		s.keyring = false
	}
	return s
}

// PasswordKey names an account's password.
func PasswordKey(accountID string) string { return "account/" + accountID + "/password" }

// TokenKey names an account's OAuth2 token set.
func TokenKey(accountID string) string { return "account/" + accountID + "/oauth2" }

// Set stores a secret, in the keyring when one answers, else in the file.
func (s *Store) Set(key, value string) error {
	if s.keyring {
		if err := withTimeout(func() error { return keyring.Set(s.service, key, value) }); err == nil {
			s.removeFromFile(key)
			return nil
		}
	}
	return s.setFile(key, value)
}

// Get returns a secret, or an error wrapping inbox.ErrNotFound.
func (s *Store) Get(key string) (string, error) {
	if s.keyring {
		var v string
		err := withTimeout(func() error {
			var err error
			v, err = keyring.Get(s.service, key)
			return err
		})
		if err == nil {
			return v, nil
		}
	}
	m, err := s.readFile()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", fmt.Errorf("secrets: no secret %q saved (add the account again): %w", key, inbox.ErrNotFound)
	}
	return v, nil
}

// Delete removes a secret from wherever it is.
func (s *Store) Delete(key string) error {
	if s.keyring {
		withTimeout(func() error { return keyring.Delete(s.service, key) })
	}
	return s.removeFromFile(key)
}

// Where says where secrets are kept, for the user.
func (s *Store) Where() string {
	if s.keyring {
		return "the OS keyring"
	}
	return s.path()
}

func (s *Store) path() string { return filepath.Join(s.dir, FileName) }

// FileInUse reports whether the fallback file holds secrets.
func (s *Store) FileInUse() bool {
	_, err := os.Stat(s.path())
	return err == nil
}

// FallbackNotice is the sentence that tells the user, once, that secrets
// went to the fallback file.
func (s *Store) FallbackNotice() string {
	return fmt.Sprintf("no OS keyring answered: passwords are kept in %s, readable only by you", s.path())
}

func (s *Store) readFile() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(s.path())
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("secrets: %s is damaged: %w", s.path(), err)
	}
	return m, nil
}

func (s *Store) setFile(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, statErr := os.Stat(s.path())
	m, err := s.readFile()
	if err != nil {
		return err
	}
	m[key] = value
	if err := s.writeFile(m); err != nil {
		return err
	}
	if errors.Is(statErr, os.ErrNotExist) && s.notice != nil {
		s.notice(s.FallbackNotice())
	}
	return nil
}

func (s *Store) removeFromFile(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.readFile()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return nil
	}
	delete(m, key)
	return s.writeFile(m)
}

// writeFile replaces the file atomically, created 0600 from the start.
func (s *Store) writeFile(m map[string]string) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	f, err := os.CreateTemp(s.dir, ".secrets-*")
	if err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("secrets: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("secrets: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("secrets: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	if err := os.Rename(f.Name(), s.path()); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	return nil
}

// withTimeout gives up on a keyring that does not answer.
func withTimeout(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(3 * time.Second):
		return errors.New("secrets: the keyring did not answer")
	}
}
