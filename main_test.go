package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryCommandLine builds the real binary and runs it as a user's
// script would, through main's wiring.
func TestBinaryCommandLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "tidings")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()
	runBin := func(args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "TIDINGS_DATA="+data)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	if out, _, code := runBin("--version"); code != 0 || !strings.HasPrefix(out, "tidings ") {
		t.Fatalf("--version: got %d %q", code, out)
	}
	if _, _, code := runBin("demo"); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	out, _, code := runBin("conversations", "--json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) < 20 {
		t.Fatalf("conversations --json via TIDINGS_DATA: got %d, %d rows", code, len(list))
	}
	if _, errs, code := runBin("nonsense"); code != 2 || !strings.Contains(errs, `unknown command "nonsense"`) {
		t.Fatalf("unknown command: got %d %q", code, errs)
	}
	if _, errs, code := runBin("show", "cv_missing"); code != 1 || strings.Count(errs, "\n") != 1 {
		t.Fatalf("missing conversation: got %d %q, want exit 1 and one line", code, errs)
	}
}
