package syncer

import (
	"encoding/json"
	"strings"
	"testing"

	"tidings/backend/channels/email"
)

// TestOutboxLeavesSentToServersThatFileIt: Gmail and Outlook file what
// they relay in Sent themselves, so Tidings appends no second copy there;
// the reply still counts as sent once and stays in its conversation.
func TestOutboxLeavesSentToServersThatFileIt(t *testing.T) {
	h := newHarness(t, nil)
	var cfg email.Config
	if err := json.Unmarshal(h.acc.Config, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.ServerSavesSent = true
	h.acc.Config = cfg.JSON()
	if err := h.st.UpdateAccountConfig(h.ctx, h.acc.ID, h.acc.Address, h.acc.Config); err != nil {
		t.Fatal(err)
	}
	item, _ := h.queueReply()
	if rep := h.sync(); rep.Sent != 1 {
		t.Fatalf("sent: got %d, want 1", rep.Sent)
	}
	if n := len(h.smtp.Messages()); n != 1 {
		t.Fatalf("smtp got %d messages, want 1", n)
	}
	out, err := h.dove.Doveadm(nil, "search", "-u", user, "mailbox", "Sent", "all")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "\n"); n != 0 {
		t.Errorf("Sent holds %d messages, want none: the server files its own copy", n)
	}
	h.sync()
	if n := h.count(`SELECT count(*) FROM messages WHERE message_id = ?`, item.MessageID); n != 1 {
		t.Errorf("the reply is stored %d times, want once", n)
	}
}
