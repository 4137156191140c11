package syncer

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// queueReply syncs one customer message and queues a reply to it.
func (h *harness) queueReply() (inbox.OutboxItem, inbox.Message) {
	h.t.Helper()
	h.save("INBOX", customer(1, ""))
	h.sync()
	parent := h.messageByHeader("<q1@example.com>")
	d := email.Reply(parent, inbox.Address{Name: "Shop", Address: user}, nil, false, "Thanks, on its way.")
	d.Bcc = []inbox.Address{{Address: "boss@shop.example"}}
	item, m, err := h.sy.Queue(h.ctx, h.acc, parent.ConversationID, d)
	if err != nil {
		h.t.Fatal(err)
	}
	if m.ConversationID != parent.ConversationID || m.Direction != inbox.Out {
		h.t.Fatalf("queued copy: conversation %s direction %s, want %s out", m.ConversationID, m.Direction, parent.ConversationID)
	}
	return item, m
}

func (h *harness) outbox(id string) inbox.OutboxItem {
	h.t.Helper()
	o, err := h.st.OutboxItem(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return o
}

func TestOutboxSendsOnceWithThreadingAndSentCopy(t *testing.T) {
	h := newHarness(t, nil)
	item, _ := h.queueReply()
	rep := h.sync()
	if rep.Sent != 1 {
		t.Fatalf("sent: got %d, want 1", rep.Sent)
	}
	got := h.smtp.Messages()
	if len(got) != 1 {
		t.Fatalf("smtp got %d messages, want 1", len(got))
	}
	data := string(got[0].Data)
	for _, want := range []string{"In-Reply-To: <q1@example.com>", "References: <q1@example.com>", "Message-Id: " + item.MessageID, "Subject: Re: Question 1"} {
		if !strings.Contains(data, want) {
			t.Errorf("sent message lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(strings.ToLower(data), "bcc:") {
		t.Errorf("the Bcc header was transmitted")
	}
	if strings.Join(got[0].To, ",") != "c1@example.com,boss@shop.example" {
		t.Errorf("envelope recipients: got %v, want the customer and the Bcc", got[0].To)
	}
	if o := h.outbox(item.ID); o.State != inbox.OutboxSent || o.SentAt.IsZero() {
		t.Errorf("outbox: got %s, want sent", o.State)
	}
	if flags := h.serverFlags("Sent", item.MessageID); !strings.Contains(flags, `\Seen`) {
		t.Errorf("Sent copy flags %q, want \\Seen", flags)
	}
	// The Sent copy is the message already in the conversation.
	h.sync()
	if n := h.count(`SELECT count(*) FROM messages WHERE message_id = ?`, item.MessageID); n != 1 {
		t.Errorf("the reply is stored %d times, want once", n)
	}
	if len(h.smtp.Messages()) != 1 {
		t.Errorf("sent %d times, want once", len(h.smtp.Messages()))
	}
	if !strings.Contains(h.serverFlags("INBOX", "<q1@example.com>"), `\Answered`) {
		t.Errorf("the answered message is not \\Answered on the server")
	}
}

func TestOutboxRetriesAndFails(t *testing.T) {
	now := time.Now()
	h := newHarness(t, &Options{Now: func() time.Time { return now }})
	item, _ := h.queueReply()
	h.smtp.SetReject(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"})
	h.sync()
	o := h.outbox(item.ID)
	if o.State != inbox.OutboxQueued || o.Attempts != 1 || !strings.Contains(o.LastError, "451") || !o.NextAttemptAt.After(now) {
		t.Fatalf("after a 451: got %s attempts %d error %q next %v, want queued for later", o.State, o.Attempts, o.LastError, o.NextAttemptAt)
	}
	h.sync() // not due yet
	if o := h.outbox(item.ID); o.Attempts != 1 {
		t.Errorf("retried before its time: attempts %d", o.Attempts)
	}
	now = now.Add(time.Hour)
	h.smtp.SetReject(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"})
	h.sync()
	o = h.outbox(item.ID)
	if o.State != inbox.OutboxFailed || !strings.Contains(o.LastError, "550 No such user here") {
		t.Fatalf("after a 550: got %s %q, want failed with the server's reason", o.State, o.LastError)
	}
	// Edited and retried by the owner: sent.
	h.smtp.SetReject(nil)
	if err := h.st.RetryOutbox(h.ctx, item.ID, nil); err != nil {
		t.Fatal(err)
	}
	h.sync()
	if o := h.outbox(item.ID); o.State != inbox.OutboxSent {
		t.Errorf("after retry: %s (%s), want sent", o.State, o.LastError)
	}
	if len(h.smtp.Messages()) != 1 {
		t.Errorf("smtp got %d, want 1", len(h.smtp.Messages()))
	}
}

// TestOutboxNotResentAfterCrash: a message left "sending" (the process died
// after handing it to the server) whose copy is in Sent is not sent again.
func TestOutboxNotResentAfterCrash(t *testing.T) {
	h := newHarness(t, nil)
	item, _ := h.queueReply()
	item.State, item.Attempts = inbox.OutboxSending, 1
	if err := h.st.UpdateOutbox(h.ctx, item); err != nil {
		t.Fatal(err)
	}
	h.save("Sent", item.Raw) // the server filed it (Gmail) before the crash
	rep := h.sync()
	if len(h.smtp.Messages()) != 0 {
		t.Errorf("resent after a crash although the copy is in Sent")
	}
	if o := h.outbox(item.ID); o.State != inbox.OutboxSent || rep.Sent != 1 {
		t.Errorf("state %s sent %d, want sent", o.State, rep.Sent)
	}
	// Without a copy in Sent, the attempt is made again.
	h2 := newHarness(t, nil)
	item2, _ := h2.queueReply()
	item2.State, item2.Attempts = inbox.OutboxSending, 1
	h2.st.UpdateOutbox(h2.ctx, item2)
	h2.sync()
	if len(h2.smtp.Messages()) != 1 {
		t.Errorf("a message that never left was not sent: %d", len(h2.smtp.Messages()))
	}
}
