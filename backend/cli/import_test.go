package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/store"
)

// bigMbox writes an mbox of n distinct small messages.
func bigMbox(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "From c%d@example.com Mon Jan  1 00:00:00 2024\nFrom: Customer %d <c%d@example.com>\nTo: shop@example.com\n"+
			"Subject: Order %d\nDate: Mon, 1 Jan 2024 10:%02d:00 +0000\nMessage-ID: <full-%d@example.com>\n\n%s\n\n",
			i, i, i, i, i%60, i, strings.Repeat(fmt.Sprintf("line %d of a message that takes some room on the disk\n", i), 20))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// storeCheck opens the store in data and returns its message count, after
// checking its integrity.
func storeCheck(t *testing.T, data string) int {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Path(data), nil)
	if err != nil {
		t.Fatalf("the store no longer opens: %v", err)
	}
	defer st.Close()
	var ok string
	if err := st.DB().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity check: %q %v", ok, err)
	}
	var n int
	st.DB().QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&n)
	return n
}

// An import that fills the disk stops with a clear error; the store is
// intact, with what was committed before the disk filled.
func TestImportFullDisk(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	data := demoDir(t)
	before := storeCheck(t, data)
	mbox := filepath.Join(t.TempDir(), "big.mbox")
	bigMbox(t, mbox, 3000) // about 4 MB: the first batch fits under the limit, the second not
	code, errs := runLimited(t, 2048, "--data", data, "import", mbox)
	if code != 1 || !strings.Contains(errs, "disk is full") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Fatalf("import on a full disk: exit %d, %q; want 1 and one line saying the disk is full", code, errs)
	}
	t.Log(strings.TrimSpace(errs))
	var kept int
	if i := strings.Index(errs, "(the "); i >= 0 {
		fmt.Sscanf(errs[i:], "(the %d messages imported before the error are kept)", &kept)
	}
	if after := storeCheck(t, data); after != before+kept {
		t.Errorf("got %d messages after the failed import, want %d before plus the %d it says it kept", after, before, kept)
	}
	// With room again, the rest comes in and nothing is doubled.
	code, stdout, errs2 := runCLI(t, "--data", data, "import", mbox, "--json")
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf(`"imported": %d`, 3000-kept)) {
		t.Errorf("second import: exit %d %q %q", code, stdout, errs2)
	}
}
