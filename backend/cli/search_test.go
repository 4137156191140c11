package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errOut, nil)
	return code, out.String(), errOut.String()
}

func TestSearchCommand(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, "--data", dir, "demo"); code != 0 {
		t.Fatalf("demo: %d %s", code, e)
	}
	code, out, e := runCLI(t, "--data", dir, "search", "helmet", "--json", "--limit", "1")
	if code != 0 {
		t.Fatalf("search: exit %d, %s", code, e)
	}
	var hits []map[string]any
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("search --json: %v in %s", err, out)
	}
	if len(hits) != 1 {
		t.Fatalf("got %d hits, want 1 (--limit 1)", len(hits))
	}
	for _, k := range []string{"conversation_id", "message_id", "snippet"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("hit lacks %q: %v", k, hits[0])
		}
	}
	if s, _ := hits[0]["snippet"].(string); !strings.Contains(strings.ToLower(s), "helmet") {
		t.Errorf("snippet %q does not show the match", s)
	}

	// An excluded word is query, not a flag.
	code, out, e = runCLI(t, "--data", dir, "search", "helmet", "-order", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("search helmet -order: exit %d, out %q, err %q; want [] (every helmet message says order)", code, out, e)
	}

	// A malformed query is a usage error pointing at the mistake.
	code, _, e = runCLI(t, "--data", dir, "search", `"late delivery`)
	if code != ExitUsage || !strings.Contains(e, "unbalanced quote") || !strings.Contains(e, "column 1") {
		t.Errorf("unbalanced quote: exit %d, %q", code, e)
	}
	code, _, e = runCLI(t, "--data", dir, "search", "after:2026-02-30")
	if code != ExitUsage || !strings.Contains(e, "not a date") || !strings.Contains(e, "column 7") {
		t.Errorf("bad date: exit %d, %q", code, e)
	}
	if code, _, _ = runCLI(t, "--data", dir, "search"); code != ExitUsage {
		t.Errorf("no query: exit %d, want %d", code, ExitUsage)
	}

	// Saved searches run as views, and --query of conversations works.
	if code, _, e = runCLI(t, "--data", dir, "search", "courier", "--save", "Couriers", "--json"); code != 0 {
		t.Fatalf("--save: %d %s", code, e)
	}
	code, out, _ = runCLI(t, "--data", dir, "search", "--list-saved")
	if code != 0 || !strings.Contains(out, "Couriers") || !strings.Contains(out, "courier") {
		t.Errorf("--list-saved: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "--data", dir, "search", "--saved", "couriers", "--json")
	if code != 0 || !strings.Contains(out, "conversation_id") {
		t.Errorf("--saved: %d %q", code, out)
	}
	code, out, e = runCLI(t, "--data", dir, "conversations", "--query", "helmet", "--json")
	var convs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &convs) != nil || len(convs) == 0 {
		t.Errorf("conversations --query: %d %q %q", code, out, e)
	}
	if code, _, _ = runCLI(t, "--data", dir, "search", "--delete-saved", "Couriers"); code != 0 {
		t.Errorf("--delete-saved: exit %d", code)
	}
	if code, _, _ = runCLI(t, "--data", dir, "search", "--saved", "Couriers"); code != ExitError {
		t.Errorf("deleted saved search still runs: exit %d", code)
	}
}
