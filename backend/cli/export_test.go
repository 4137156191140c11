package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets tests run the command line in a child process (to give it a
// file size limit, as a full disk gives): with TIDINGS_TEST_CLI set, the
// test binary runs those arguments and exits.
func TestMain(m *testing.M) {
	if args := os.Getenv("TIDINGS_TEST_CLI"); args != "" {
		os.Exit(Run(context.Background(), strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr, nil))
	}
	os.Exit(m.Run())
}

// runLimited runs the command line in a child process whose files may not
// grow past limitKB (ulimit -f), so writes fail as on a full disk.
func runLimited(t *testing.T, limitKB int, args ...string) (int, string) {
	t.Helper()
	return runChild(t, exec.Command("bash", "-c", "ulimit -f "+itoa(limitKB)+"; exec \"$0\"", os.Args[0]), args...)
}

// runChild runs cmd, a test binary (or a shell that execs one), as the
// command line with args, and returns its exit code and standard error.
func runChild(t *testing.T, cmd *exec.Cmd, args ...string) (int, string) {
	t.Helper()
	cmd.Env = append(os.Environ(), "TIDINGS_TEST_CLI="+strings.Join(args, "\x1f"))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, errb.String()
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func demoDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errs := runCLI(t, "--data", dir, "demo"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	return dir
}

func TestExportCommand(t *testing.T) {
	data := demoDir(t)
	out := t.TempDir()
	for _, f := range []string{"mbox", "eml", "json", "csv", "html", "pdf"} {
		path := filepath.Join(out, "all."+f)
		code, stdout, errs := runCLI(t, "--data", data, "export", "--format", f, "--out", path, "--json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		var res struct {
			Messages int   `json:"messages"`
			Bytes    int64 `json:"bytes"`
		}
		if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Messages != 49 || res.Bytes == 0 {
			t.Errorf("%s: got %s (%v), want 49 messages", f, stdout, err)
		}
	}
	// A search's conversations.
	code, stdout, errs := runCLI(t, "--data", data, "export", "--format", "csv", "--query", "helmet", "--out", filepath.Join(out, "q.csv"))
	if code != 0 || !strings.Contains(stdout, "Exported") {
		t.Errorf("--query: exit %d, %q %q", code, stdout, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "q.csv")); !strings.Contains(string(b), "helmet") || strings.Contains(string(b), "Brake pads") {
		t.Errorf("--query export holds the wrong conversations:\n%s", b)
	}
	// One conversation, by ID.
	code, stdout, _ = runCLI(t, "--data", data, "conversations", "--json")
	var convs []struct{ ID string }
	json.Unmarshal([]byte(stdout), &convs)
	if code != 0 || len(convs) == 0 {
		t.Fatal("no conversations listed")
	}
	code, stdout, errs = runCLI(t, "--data", data, "export", "--format", "html", "--conversation", convs[0].ID, "--out", filepath.Join(out, "one.html"))
	if code != 0 || !strings.Contains(stdout, "from 1 conversations") {
		t.Errorf("one conversation: exit %d, %q %q", code, stdout, errs)
	}
}

func TestExportCommandErrors(t *testing.T) {
	data := demoDir(t)
	out := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no format", []string{"export", "--out", "x"}, 2, "--format is required"},
		{"bad format", []string{"export", "--format", "docx", "--out", "x"}, 2, "unknown format"},
		{"no out", []string{"export", "--format", "mbox"}, 2, "--out"},
		{"query finds nothing", []string{"export", "--format", "mbox", "--query", "zzqqxxnothing", "--out", filepath.Join(out, "q.mbox")}, 1, "matches no conversation"},
		{"unknown conversation", []string{"export", "--format", "mbox", "--conversation", "cv_nope", "--out", filepath.Join(out, "c.mbox")}, 1, "not found"},
		{"missing folder", []string{"export", "--format", "mbox", "--out", filepath.Join(out, "no", "x.mbox")}, 1, "does not exist"},
		{"two selections", []string{"export", "--format", "mbox", "--conversation", "a", "--contact", "b", "--out", "x"}, 2, "choose one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, append([]string{"--data", data}, c.args...)...)
			if code != c.code || !strings.Contains(errs, c.msg) {
				t.Errorf("got exit %d %q, want %d with %q", code, errs, c.code, c.msg)
			}
			if n := strings.Count(strings.TrimSpace(errs), "\n"); n > 1 {
				t.Errorf("error is not one line: %q", errs)
			}
		})
	}
}

func TestExportAndBackupFullDisk(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	data := demoDir(t)
	out := t.TempDir()
	code, errs := runLimited(t, 64, "--data", data, "export", "--format", "pdf", "--out", filepath.Join(out, "x.pdf"))
	if code != 1 || !strings.Contains(errs, "larger than this disk") {
		t.Errorf("export on a full disk: exit %d, %q", code, errs)
	}
	code, errs = runLimited(t, 64, "--data", data, "backup", filepath.Join(out, "b.db"))
	if code != 1 || !strings.Contains(errs, "backup") {
		t.Errorf("backup on a full disk: exit %d, %q", code, errs)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("failed writes left files: %v", ents)
	}
	// The store is intact and still exports.
	code, _, errs = runCLI(t, "--data", data, "export", "--format", "mbox", "--out", filepath.Join(out, "ok.mbox"))
	if code != 0 {
		t.Errorf("after the failures: %s", errs)
	}
}

func TestBackupRestoreCommands(t *testing.T) {
	data := demoDir(t)
	dir := t.TempDir()
	b := filepath.Join(dir, "b.db")
	code, stdout, errs := runCLI(t, "--data", data, "backup", b)
	if code != 0 || !strings.Contains(stdout, "verified") {
		t.Fatalf("backup: %d %q %q", code, stdout, errs)
	}
	// Forget a contact, then restore: it is back.
	code, stdout, _ = runCLI(t, "--data", data, "conversations", "--json")
	var convs []struct {
		Contact struct{ ID string } `json:"contact"`
	}
	json.Unmarshal([]byte(stdout), &convs)
	if code, _, errs := runCLI(t, "--data", data, "forget", convs[0].Contact.ID); code != 2 || !strings.Contains(errs, "--yes") {
		t.Errorf("forget without --yes: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "--data", data, "forget", convs[0].Contact.ID, "--yes"); code != 0 {
		t.Fatalf("forget: %s", errs)
	}
	_, after, _ := runCLI(t, "--data", data, "conversations", "--json")
	json.Unmarshal([]byte(after), &convs)
	forgotten := len(convs)
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("not a backup"), 0o600)
	if code, _, errs := runCLI(t, "--data", data, "restore", junk); code != 1 || !strings.Contains(errs, "nothing was changed") {
		t.Errorf("restore junk: %d %q", code, errs)
	}
	code, stdout, errs = runCLI(t, "--data", data, "restore", b)
	if code != 0 || !strings.Contains(stdout, "previous store is kept") {
		t.Fatalf("restore: %d %q %q", code, stdout, errs)
	}
	_, restored, _ := runCLI(t, "--data", data, "conversations", "--json")
	json.Unmarshal([]byte(restored), &convs)
	if len(convs) != 22 || forgotten >= 22 {
		t.Errorf("got %d conversations after restore (%d after forget), want 22", len(convs), forgotten)
	}
}

func TestImportCommand(t *testing.T) {
	data := demoDir(t)
	dir := t.TempDir()
	mbox := filepath.Join(dir, "all.mbox")
	if code, _, errs := runCLI(t, "--data", data, "export", "--format", "mbox", "--out", mbox); code != 0 {
		t.Fatal(errs)
	}
	fresh := filepath.Join(dir, "fresh")
	code, stdout, errs := runCLI(t, "--data", fresh, "import", mbox, "--json")
	var sum struct{ Imported, Skipped, Unreadable int }
	if err := json.Unmarshal([]byte(stdout), &sum); code != 0 || err != nil || sum.Imported != 49 {
		t.Fatalf("import: exit %d, %q %q", code, stdout, errs)
	}
	code, stdout, _ = runCLI(t, "--data", fresh, "import", mbox)
	if code != 0 || !strings.Contains(stdout, "Imported 0 messages") || !strings.Contains(stdout, "49 already here") {
		t.Errorf("second import: %q", stdout)
	}
	junk := filepath.Join(dir, "junk.bin")
	os.WriteFile(junk, []byte{0, 1, 2, 3}, 0o644)
	if code, _, errs := runCLI(t, "--data", fresh, "import", junk); code != 1 || !strings.Contains(errs, "not mail") {
		t.Errorf("junk: exit %d %q", code, errs)
	}
	if code, _, _ := runCLI(t, "--data", fresh, "import"); code != 2 {
		t.Errorf("no path: exit %d, want 2", code)
	}
}
