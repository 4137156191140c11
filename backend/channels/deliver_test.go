package channels

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// windowed is a connector with WhatsApp-like limits that records sends.
type windowed struct {
	scripted
	sent []Outbound
	err  error
}

func (w *windowed) Capabilities() Capabilities {
	return Capabilities{Attachments: true, ReplyWindow: 24 * time.Hour, MaxTextLength: 20, MaxUploadSize: 10}
}
func (w *windowed) Send(ctx context.Context, o Outbound) (SendResult, error) {
	w.sent = append(w.sent, o)
	return SendResult{RemoteID: o.Thread + "/9"}, w.err
}

func TestDeliverRespectsCapabilities(t *testing.T) {
	ctx := context.Background()
	st, acct := openStore(t)
	old := inbound(acct, 1, "77")
	old.Message.Date = time.Now().Add(-48 * time.Hour)
	fresh := inbound(acct, 2, "88")
	fresh.Message.Date = time.Now().Add(-time.Hour)
	if _, err := Apply(ctx, st, acct, Batch{Messages: []Inbound{old, fresh}}); err != nil {
		t.Fatal(err)
	}
	convOf := func(sender string) string {
		cs, _ := st.Conversations(ctx, store.ListFilter{})
		for _, c := range cs {
			if c.Contact.Identities[0].Address == sender {
				return c.ID
			}
		}
		t.Fatalf("no conversation with %s", sender)
		return ""
	}
	conn := &windowed{}
	cases := []struct {
		name string
		r    Reply
		want string
	}{
		{"outside the reply window", Reply{ConversationID: convOf("77"), Text: "hi"}, "within 24 h of the customer's last message: the window closed"},
		{"text too long", Reply{ConversationID: convOf("88"), Text: strings.Repeat("x", 21)}, "allows 20"},
		{"file too big", Reply{ConversationID: convOf("88"), Attachments: []inbox.Attachment{{Name: "a.bin", Data: make([]byte, 11)}}}, "a.bin"},
		{"nothing", Reply{ConversationID: convOf("88")}, "nothing to send"},
		{"quote from another chat", Reply{ConversationID: convOf("88"), Text: "hi", QuoteMessageID: old.Message.ID}, "another conversation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Deliver(ctx, st, acct, conn, c.r)
			if !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want invalid mentioning %q", err, c.want)
			}
		})
	}
	if len(conn.sent) != 0 {
		t.Errorf("%d sends for refused replies, want 0", len(conn.sent))
	}
	m, err := Deliver(ctx, st, acct, conn, Reply{ConversationID: convOf("88"), Text: "hello", QuoteMessageID: fresh.Message.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(conn.sent) != 1 || conn.sent[0].Thread != "chat:88" || conn.sent[0].QuoteID != fresh.Message.MessageID || conn.sent[0].MessageID != m.ID {
		t.Errorf("sent %+v", conn.sent)
	}
	// A temporary failure leaves the message stored and marked failed.
	conn.err = Temporary("send", errors.New("connection reset"))
	m, err = Deliver(ctx, st, acct, conn, Reply{ConversationID: convOf("88"), Text: "again"})
	if !IsTemporary(err) {
		t.Fatalf("got %v, want the temporary error", err)
	}
	d, _ := st.Delivery(ctx, m.ID)
	if d.State != inbox.DeliveryFailed || !strings.Contains(d.Error, "connection reset") {
		t.Errorf("delivery = %+v", d)
	}
	if _, err := st.Message(ctx, m.ID); err != nil {
		t.Errorf("the failed reply was not kept: %v", err)
	}
}
