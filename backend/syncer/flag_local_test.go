package syncer

import (
	"strings"
	"testing"
)

// TestLocalFlagReachesTheServer: a message flagged in Tidings is \Flagged
// on the server after the next sync, and unflagging it takes the flag
// away; the message is never stored twice for it.
func TestLocalFlagReachesTheServer(t *testing.T) {
	h := newHarness(t, nil)
	h.save("INBOX", customer(1, ""))
	h.sync()
	m := h.messageByHeader("<q1@example.com>")
	if _, err := h.st.SetMessageFlagged(h.ctx, m.ID, true); err != nil {
		t.Fatal(err)
	}
	h.sync()
	if got := h.serverFlags("INBOX", "<q1@example.com>"); !strings.Contains(got, `\Flagged`) {
		t.Errorf("after flagging: server flags %q, want \\Flagged", got)
	}
	if !h.messageByHeader("<q1@example.com>").Flagged {
		t.Errorf("the sync took the local flag away")
	}
	if _, err := h.st.SetMessageFlagged(h.ctx, m.ID, false); err != nil {
		t.Fatal(err)
	}
	h.sync()
	if got := h.serverFlags("INBOX", "<q1@example.com>"); strings.Contains(got, `\Flagged`) {
		t.Errorf("after unflagging: server flags %q, want no \\Flagged", got)
	}
	if n := h.messages(); n != 1 {
		t.Errorf("messages: %d, want 1", n)
	}
}
