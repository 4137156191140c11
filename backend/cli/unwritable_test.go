//go:build linux

package cli

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// runUnprivileged runs the command line in a child process that cannot
// write into root-owned folders: as root (CI runs as root, and root writes
// anywhere) the child runs as the user nobody; otherwise as the caller, and
// the test makes its folder read-only.
func runUnprivileged(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	if os.Getuid() == 0 {
		// nobody must be able to run the test binary.
		bin := filepath.Join(shared(t), "cli.test")
		copyExe(t, os.Args[0], bin)
		cmd = exec.Command(bin)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	return runChild(t, cmd, args...)
}

// shared is a new folder everyone may enter and write, removed after.
func shared(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tidings-shared-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	return dir
}

func copyExe(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}

// A destination the user may not write: export and backup say so in one
// line, leave nothing behind, and the store is untouched; an import into a
// store the user may not write is refused the same way.
func TestExportAndBackupUnwritable(t *testing.T) {
	data := filepath.Join(shared(t), "data")
	if code, _, errs := runCLI(t, "--data", data, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	// The child may use the store, as the app's own user would.
	filepath.Walk(data, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			os.Chmod(p, fi.Mode()|0o777)
		}
		return nil
	})
	before := storeCheck(t, data)
	ro := filepath.Join(shared(t), "ro")
	os.Mkdir(ro, 0o755) // root's: nobody may not write in it
	if os.Getuid() != 0 {
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
	}
	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"export mbox", []string{"export", "--format", "mbox", "--out", filepath.Join(ro, "all.mbox")}, "permission denied"},
		{"export json", []string{"export", "--format", "json", "--out", filepath.Join(ro, "all.json")}, "permission denied"},
		{"export html", []string{"export", "--format", "html", "--out", filepath.Join(ro, "site")}, "permission denied"},
		{"backup", []string{"backup", filepath.Join(ro, "b.db")}, "permission denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, errs := runUnprivileged(t, append([]string{"--data", data}, c.args...)...)
			if code != 1 || !strings.Contains(errs, c.msg) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("got exit %d %q, want 1 and one line with %q", code, errs, c.msg)
			}
		})
	}
	if ents, _ := os.ReadDir(ro); len(ents) != 0 {
		t.Errorf("failed writes left %v", ents)
	}
	if after := storeCheck(t, data); after != before {
		t.Errorf("the store holds %d messages after the failures, want %d", after, before)
	}

	// Importing into a store the user may not write.
	mbox := filepath.Join(ro, "in.mbox")
	bigMbox(t, mbox, 3)
	os.Chmod(mbox, 0o644)
	locked := filepath.Join(shared(t), "locked")
	if code, _, errs := runCLI(t, "--data", locked, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	lockedBefore := storeCheck(t, locked)
	filepath.Walk(locked, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			os.Chmod(p, fi.Mode()&^0o222) // read-only for everyone
		}
		return nil
	})
	code, errs := runUnprivileged(t, "--data", locked, "import", mbox)
	if code != 1 || !strings.Contains(errs, "not writable") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Errorf("import into a read-only store: got exit %d %q, want 1 and one line", code, errs)
	}
	filepath.Walk(locked, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			os.Chmod(p, fi.Mode()|0o200)
		}
		return nil
	})
	if after := storeCheck(t, locked); after != lockedBefore {
		t.Errorf("the read-only store holds %d messages, want %d", after, lockedBefore)
	}
}
