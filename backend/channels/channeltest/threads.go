package channeltest

import (
	"context"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/inbox"
)

// testThreads checks, for a channel with threads of its own, that Apply
// files by the channel's threading: the customer's message, the business's
// answer quoting it (when the channel shows it again, as email's Sent
// folder does) and the customer's reply to that answer under another
// subject all land in one conversation.
func testThreads(t *testing.T, h Harness) {
	ctx := context.Background()
	c := connect(t, h)
	if !c.Capabilities().Threads {
		t.Skip("the channel has no threads of its own: one conversation per chat (Receive and ResumeAfterCrash cover it)")
	}
	if h.DeliverReply == nil {
		t.Fatal("a channel with threads of its own needs Harness.DeliverReply")
	}
	st := openStore(t, h)
	cursors := map[string]string{}
	// storeAll receives and stores until nothing is waiting.
	storeAll := func() []channels.Inbound {
		var got []channels.Inbound
		for range h.MaxRounds {
			b, err := c.Receive(ctx, cursors)
			if err != nil {
				t.Fatalf("receive: %v", err)
			}
			if b.Empty() {
				return got
			}
			b.Threads = true
			if _, err := channels.Apply(ctx, st, h.Account, b); err != nil {
				t.Fatalf("store: %v", err)
			}
			for k, v := range b.Cursors {
				cursors[k] = v
			}
			got = append(got, b.Messages...)
		}
		t.Fatalf("still receiving after %d rounds", h.MaxRounds)
		return nil
	}
	storeAll()
	h.Deliver(t, "Where is my order 1042?", nil)
	var first *channels.Inbound
	for _, in := range storeAll() {
		if in.Message.Text == "Where is my order 1042?" {
			first = &in
		}
	}
	if first == nil {
		t.Fatal("the customer's message was not received")
	}
	conv := conversationOf(t, st, first.Message.ID)
	if _, err := c.Send(ctx, channels.Outbound{MessageID: inbox.NewID(inbox.PrefixMessage), Thread: first.Thread, To: first.Sender.Address,
		Subject: first.Message.Subject, Text: "It left our shop today.", QuoteID: first.Message.MessageID}); err != nil {
		t.Fatalf("send: %v", err)
	}
	// The customer answers the business's answer when the channel shows it
	// (email's Sent folder), else their own message.
	parent := *first
	for _, in := range storeAll() {
		if in.Message.Direction == inbox.Out {
			parent = in
			if cv := conversationOf(t, st, in.Message.ID); cv != conv {
				t.Errorf("the business's answer went to conversation %s, want %s (the one it answers)", cv, conv)
			}
		}
	}
	h.DeliverReply(t, "Thanks! Could you send the invoice too?", parent)
	got := storeAll()
	replied := false
	for _, in := range got {
		if in.Message.Text == "Thanks! Could you send the invoice too?" {
			replied = true
		}
		if cv := conversationOf(t, st, in.Message.ID); cv != conv {
			t.Errorf("%s message %q went to conversation %s, want %s (the one it answers)", in.Message.Direction, in.Message.Text, cv, conv)
		}
	}
	if !replied {
		t.Errorf("received %d messages after the reply, none of them the customer's reply", len(got))
	}
}

// conversationOf returns the conversation a stored message belongs to.
func conversationOf(t *testing.T, st interface {
	Message(context.Context, string) (inbox.Message, error)
}, id string) string {
	t.Helper()
	m, err := st.Message(context.Background(), id)
	if err != nil {
		t.Fatalf("stored message %s: %v", id, err)
	}
	return m.ConversationID
}
