// Package workspace is the set of services Tidings runs on: it finds and
// opens the data directory and its store, and offers the operations that
// both faces of the program use, the window (through package app) and the
// command line (through package cli). Results are plain structs whose JSON
// form is the command line's documented --json contract.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"tidings/backend/store"
)

// EnvData names the environment variable that sets the data directory.
const EnvData = "TIDINGS_DATA"

// Workspace is an open data directory.
type Workspace struct {
	Dir   string
	Store *store.Store
	// Now is the clock, replaceable in tests.
	Now func() time.Time
}

// DefaultDir returns the data directory: $TIDINGS_DATA, or the OS user data
// directory (XDG_DATA_HOME on Linux, Application Support on macOS, AppData
// on Windows) with "Tidings" inside.
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvData); d != "" {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows", "darwin":
		d, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("workspace: no user data directory: %w", err)
		}
		return filepath.Join(d, "Tidings"), nil
	default:
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			return filepath.Join(x, "tidings"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("workspace: no home directory: %w", err)
		}
		return filepath.Join(home, ".local", "share", "tidings"), nil
	}
}

// Open creates dir if needed, checks that it is writable, and opens the
// store inside it.
func Open(ctx context.Context, dir string) (*Workspace, error) {
	return OpenWith(ctx, dir, nil)
}

// OpenWith is Open with store options (a bigger page cache for bulk work).
func OpenWith(ctx context.Context, dir string, opts *store.Options) (*Workspace, error) {
	if dir == "" {
		return nil, errors.New("workspace: no data directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace: data directory %q: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("workspace: data directory %s is a file, not a folder", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("workspace: cannot create data directory %s: %w", abs, errors.Unwrap(err))
	}
	probe, err := os.CreateTemp(abs, ".write-test-*")
	if err != nil {
		return nil, fmt.Errorf("workspace: data directory %s is not writable: %w", abs, errors.Unwrap(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	st, err := store.Open(ctx, store.Path(abs), opts)
	if err != nil {
		return nil, err
	}
	return &Workspace{Dir: abs, Store: st, Now: time.Now}, nil
}

// Close closes the store.
func (w *Workspace) Close() error { return w.Store.Close() }
