package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestShowCustomerTimeline: `show ID --customer` lists every conversation of
// the customer across channels and every message of them in one timeline,
// oldest first; with --json it adds "customer" beside the usual fields.
func TestShowCustomerTimeline(t *testing.T) {
	dir := t.TempDir()
	if r := tid(t, "", "--data", dir, "demo"); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	var list []struct {
		ID      string `json:"id"`
		Subject string `json:"subject"`
	}
	json.Unmarshal([]byte(tid(t, "", "--data", dir, "conversations", "--json", "--limit", "100").stdout), &list)
	id := ""
	for _, c := range list {
		if c.Subject == "Order #1001 delayed?" {
			id = c.ID
		}
	}
	if id == "" {
		t.Fatal("no demo conversation Order #1001 delayed?")
	}
	r := tid(t, "", "--data", dir, "show", "--customer", id)
	if r.code != 0 {
		t.Fatalf("show --customer: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Alice Smith across channels: 3 conversations on email, telegram") {
		t.Errorf("no customer heading in:\n%s", r.stdout)
	}
	lines := strings.Split(r.stdout[strings.Index(r.stdout, "across channels"):], "\n")
	var tl []string
	for _, l := range lines {
		if strings.Contains(l, " ← ") || strings.Contains(l, " → ") {
			tl = append(tl, l)
		}
	}
	if len(tl) < 5 || !strings.Contains(strings.Join(tl, "\n"), "← telegram") || !strings.Contains(strings.Join(tl, "\n"), "← email") {
		t.Errorf("timeline lines %q, want messages on email and telegram", tl)
	}
	for i := 1; i < len(tl); i++ {
		if tl[i][:16] < tl[i-1][:16] {
			t.Errorf("timeline not oldest first: %q after %q", tl[i], tl[i-1])
		}
	}

	var out map[string]any
	if err := json.Unmarshal([]byte(tid(t, "", "--data", dir, "show", id, "--json", "--customer").stdout), &out); err != nil {
		t.Fatal(err)
	}
	hasKeys(t, "show --customer", out, "id", "subject", "messages", "contact", "customer")
	cust := out["customer"].(map[string]any)
	hasKeys(t, "customer", cust, "contact", "conversations", "timeline")
	if n := len(cust["conversations"].([]any)); n != 3 {
		t.Errorf("customer conversations: %d, want 3", n)
	}
	var plain map[string]any
	json.Unmarshal([]byte(tid(t, "", "--data", dir, "show", id, "--json").stdout), &plain)
	if _, ok := plain["customer"]; ok {
		t.Error("show --json without --customer grew a customer field")
	}
}
