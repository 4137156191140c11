package syncer

import (
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"tidings/backend/inbox"
)

// TestOutboxEditFailed: a reply the server refused is edited by the owner
// and sent: the edited text goes once, to the same recipients (Bcc too),
// threaded as before, under the same Message-ID; the conversation holds
// the edited copy only, and the refused entry is gone from the outbox.
func TestOutboxEditFailed(t *testing.T) {
	h := newHarness(t, nil)
	item, first := h.queueReply()
	h.smtp.SetReject(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"})
	h.sync()
	if o := h.outbox(item.ID); o.State != inbox.OutboxFailed {
		t.Fatalf("after a 550: %s, want failed", o.State)
	}
	edited, m, err := h.sy.EditFailed(h.ctx, h.acc, item.ID, "Thanks, it ships on Monday.")
	if err != nil {
		t.Fatal(err)
	}
	if edited.MessageID != item.MessageID || edited.ID == item.ID || edited.State != inbox.OutboxQueued {
		t.Errorf("edited entry: %+v, want a new queued entry with Message-ID %s", edited, item.MessageID)
	}
	if m.ConversationID != first.ConversationID {
		t.Errorf("edited copy in %s, want the conversation %s", m.ConversationID, first.ConversationID)
	}
	if _, err := h.st.OutboxItem(h.ctx, item.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("the refused entry: %v, want gone", err)
	}
	if n := h.count(`SELECT count(*) FROM messages WHERE message_id = ?`, item.MessageID); n != 1 {
		t.Errorf("copies in the store: %d, want 1", n)
	}
	if n := h.count(`SELECT count(*) FROM messages WHERE message_id = ? AND body_text LIKE '%ships on Monday%'`, item.MessageID); n != 1 {
		t.Errorf("the stored copy lacks the edited text")
	}
	if _, _, err := h.sy.EditFailed(h.ctx, h.acc, edited.ID, "again"); !errors.Is(err, inbox.ErrConflict) {
		t.Errorf("editing a queued message: %v, want ErrConflict", err)
	}

	h.smtp.SetReject(nil)
	if rep := h.sync(); rep.Sent != 1 {
		t.Fatalf("sent %d, want 1", rep.Sent)
	}
	got := h.smtp.Messages()
	if len(got) != 1 {
		t.Fatalf("smtp got %d messages, want 1", len(got))
	}
	data := string(got[0].Data)
	for _, want := range []string{"ships on Monday", "In-Reply-To: <q1@example.com>", "Message-Id: " + item.MessageID, "Subject: Re: Question 1"} {
		if !strings.Contains(data, want) {
			t.Errorf("sent message lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(data, "on its way") {
		t.Errorf("the refused text went out")
	}
	if strings.Join(got[0].To, ",") != "c1@example.com,boss@shop.example" {
		t.Errorf("envelope: %v, want the customer and the Bcc", got[0].To)
	}
	h.sync() // the Sent copy is the stored one
	if n := h.count(`SELECT count(*) FROM messages WHERE message_id = ?`, item.MessageID); n != 1 {
		t.Errorf("after the Sent copy synced: %d copies, want 1", n)
	}
}
