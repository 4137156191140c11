package syncer

import (
	"strings"
	"testing"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// An account's signature goes under a queued message once, after the
// standard "-- " separator, and not again when the text already has it.
func TestQueueSignsOnce(t *testing.T) {
	h := newHarness(t, nil)
	cfg, err := config(h.acc)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Signature = "Ana\nBike Shop"
	h.acc.Config = cfg.JSON()
	for _, text := range []string{"Thanks, on its way.", "Thanks.\n\n-- \nAna\nBike Shop\n"} {
		d := email.Draft{From: inbox.Address{Address: user}, To: []inbox.Address{{Address: "c@example.com"}}, Subject: "Hi", Text: text}
		_, m, err := h.sy.Queue(h.ctx, h.acc, "", d)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(m.Text, "Bike Shop"); n != 1 {
			t.Errorf("queued %q: the signature appears %d times:\n%s", text, n, m.Text)
		}
		if !strings.Contains(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n-- \nAna\nBike Shop") {
			t.Errorf("queued %q: no separated signature block:\n%q", text, m.Text)
		}
	}
}
