package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/identity"
	"tidings/backend/inbox"
)

func TestReplyQuotesTheCustomerAndIsStoredFirst(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.Text(customer, "Is the teapot dishwasher-safe?")
	e.sync(t)
	conv := e.convs(t)[0]
	in := e.messages(t, conv.ID)[0]
	conn := e.connector()
	m, err := channels.Deliver(ctx, e.st, e.acct, conn, channels.Reply{ConversationID: conv.ID, Text: "Yes, it is!", QuoteMessageID: in.ID})
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	sent := e.srv.Sent()
	if len(sent) != 1 || sent[0].Method != "sendMessage" || sent[0].Text != "Yes, it is!" || sent[0].ChatID != customer.ID || sent[0].ReplyTo != 1 {
		t.Fatalf("sent %+v, want one sendMessage to 4242 quoting message 1", sent)
	}
	d, err := e.st.Delivery(ctx, m.ID)
	if err != nil || d.State != inbox.DeliverySent || d.RemoteID != "chat:4242/2" {
		t.Errorf("delivery = %+v, %v; want sent as chat:4242/2", d, err)
	}
	ms := e.messages(t, conv.ID)
	if len(ms) != 2 || ms[1].Direction != inbox.Out || ms[1].MessageID != "chat:4242/2" || ms[1].InReplyTo != in.MessageID {
		t.Errorf("stored reply = %+v, want outgoing with its remote ID and quote", ms[len(ms)-1])
	}
	// A photo and a document: the text rides as the first caption.
	_, err = channels.Deliver(ctx, e.st, e.acct, conn, channels.Reply{ConversationID: conv.ID, Text: "Photos attached",
		Attachments: []inbox.Attachment{{Name: "teapot.jpg", ContentType: "image/jpeg", Data: []byte("jpeg")}, {Name: "care.pdf", ContentType: "application/pdf", Data: []byte("pdf")}}})
	if err != nil {
		t.Fatal(err)
	}
	sent = e.srv.Sent()[1:]
	if len(sent) != 2 || sent[0].Method != "sendPhoto" || sent[0].Caption != "Photos attached" || sent[1].Method != "sendDocument" || sent[1].FileName != "care.pdf" || string(sent[1].FileData) != "pdf" {
		t.Errorf("sent %+v, want sendPhoto with caption then sendDocument care.pdf", sent)
	}
}

func TestBlockedBotIsAPerMessageFailure(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.Text(customer, "bye")
	e.sync(t)
	conv := e.convs(t)[0]
	e.srv.Block(customer.ID)
	m, err := channels.Deliver(ctx, e.st, e.acct, e.connector(), channels.Reply{ConversationID: conv.ID, Text: "Thanks for your order"})
	if !channels.IsRejected(err) {
		t.Fatalf("send to a blocked bot: %v (kind %s), want rejected", err, channels.KindOf(err))
	}
	d, _ := e.st.Delivery(ctx, m.ID)
	if d.State != inbox.DeliveryFailed || !strings.Contains(d.Error, "blocked the bot") || !strings.Contains(d.Error, "403") {
		t.Errorf("delivery = %+v, want failed naming the block", d)
	}
	if ms := e.messages(t, conv.ID); len(ms) != 2 || ms[1].Text != "Thanks for your order" {
		t.Errorf("the owner's reply was not kept: %+v", ms)
	}
	// Too long for Telegram: refused before anything is stored or sent.
	_, err = channels.Deliver(ctx, e.st, e.acct, e.connector(), channels.Reply{ConversationID: conv.ID, Text: strings.Repeat("a", MaxTextLength+1)})
	if !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "4096") {
		t.Errorf("oversized text: %v, want invalid naming the 4096 limit", err)
	}
	if n := len(e.messages(t, conv.ID)); n != 2 {
		t.Errorf("%d messages after a refused send, want 2", n)
	}
}

func TestBusinessChatsReplyAsTheOwner(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := fakebot.User{ID: 999, FirstName: "Marta", LastName: "Shop"}
	client := fakebot.User{ID: 31337, FirstName: "Rui"}
	e.srv.Business("bc-1", owner, true)
	e.srv.Send(fakebot.Msg{Business: "bc-1", From: client, Text: "Olá, do you open on Sunday?"})
	e.srv.Send(fakebot.Msg{Business: "bc-1", From: owner, Chat: client.ID, Text: "Yes, 10-14h"})
	res := e.sync(t)
	if res.Stored != 2 {
		t.Fatalf("stored %d, want 2", res.Stored)
	}
	convs := e.convs(t)
	if len(convs) != 1 || convs[0].Contact.Name != "Rui" {
		t.Fatalf("conversations %+v, want one with Rui", convs)
	}
	ms := e.messages(t, convs[0].ID)
	if ms[0].Direction != inbox.In || ms[1].Direction != inbox.Out {
		t.Errorf("directions %s, %s; want in, out (the owner answered from their phone)", ms[0].Direction, ms[1].Direction)
	}
	if cur, _ := e.st.Cursor(ctx, e.acct.ID, "business:bc-1"); !strings.Contains(cur, `"enabled":true`) {
		t.Errorf("business connection state = %q", cur)
	}
	if _, err := channels.Deliver(ctx, e.st, e.acct, e.connector(), channels.Reply{ConversationID: convs[0].ID, Text: "See you!", QuoteMessageID: ms[0].ID}); err != nil {
		t.Fatal(err)
	}
	sent := e.srv.Sent()
	if len(sent) != 1 || sent[0].Business != "bc-1" || sent[0].ChatID != client.ID || sent[0].ReplyTo != 1 {
		t.Fatalf("sent %+v, want one message through bc-1 to Rui quoting message 1", sent)
	}
	// Telegram may echo the bot's message back as a business_message from
	// the owner: it is the same message, not a new one.
	e.srv.AddRawUpdate("business_message", fmt.Sprintf(`{"message_id":%d,"date":1700000000,"business_connection_id":"bc-1",
		"from":{"id":999,"is_bot":false,"first_name":"Marta"},"chat":{"id":31337,"type":"private","first_name":"Rui"},"text":"See you!"}`, sent[0].MessageID))
	if res := e.sync(t); res.Stored != 0 || res.Duplicates != 1 {
		t.Errorf("echo: stored %d, duplicates %d; want 0 and 1", res.Stored, res.Duplicates)
	}
	if n := len(e.messages(t, convs[0].ID)); n != 3 {
		t.Errorf("%d messages, want 3", n)
	}
}

func TestEmailInChatSuggestsAMerge(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	byEmail := inbox.Contact{Name: "Ana L.", Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: "ana.lima@example.com"}}}
	if err := e.st.CreateContact(ctx, &byEmail); err != nil {
		t.Fatal(err)
	}
	e.srv.Text(customer, "I also wrote from Ana.Lima@Example.com yesterday")
	res := e.sync(t)
	if res.Suggestions != 1 {
		t.Fatalf("%d new suggestions, want 1", res.Suggestions)
	}
	sugs, err := identity.Suggestions(ctx, e.st)
	if err != nil || len(sugs) != 1 || sugs[0].Reason != inbox.ReasonClaimed {
		t.Fatalf("suggestions = %+v, %v", sugs, err)
	}
	tg := e.convs(t)[0].ContactID
	if _, err := e.st.Contact(ctx, tg); err != nil {
		t.Fatal("the Telegram contact was merged without the owner")
	}
	mergeID, err := identity.Accept(ctx, e.st, sugs[0].ID, byEmail.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := e.st.Contact(ctx, byEmail.ID)
	if len(c.Identities) != 2 {
		t.Errorf("merged contact has %d identities, want email + telegram", len(c.Identities))
	}
	if e.convs(t)[0].ContactID != byEmail.ID {
		t.Error("the chat did not move to the kept contact")
	}
	if _, err := identity.Undo(ctx, e.st, mergeID); err != nil {
		t.Fatal(err)
	}
	if e.convs(t)[0].ContactID != tg {
		t.Error("undo did not give the chat back")
	}
	if n, _ := identity.Refresh(ctx, e.st); n != 0 {
		t.Errorf("an undone suggestion came back (%d new)", n)
	}
	if sugs, _ := identity.Suggestions(ctx, e.st); len(sugs) != 0 {
		t.Errorf("%d open suggestions after undo, want 0", len(sugs))
	}
}

func TestRateLimitedSendWaitsAndSendsOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.Text(customer, "hi")
	e.sync(t)
	conv := e.convs(t)[0]
	conn := e.connector()
	var waits []time.Duration
	conn.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	e.srv.Fail("sendMessage", 429, "Too Many Requests: retry after 3", 3)
	if _, err := channels.Deliver(ctx, e.st, e.acct, conn, channels.Reply{ConversationID: conv.ID, Text: "hello"}); err != nil {
		t.Fatalf("deliver after a 429: %v", err)
	}
	if len(waits) != 1 || waits[0] != 3*time.Second || len(e.srv.Sent()) != 1 {
		t.Errorf("waits %v, %d sent; want one 3s wait and one message", waits, len(e.srv.Sent()))
	}
	// A long wait is not waited out: the message fails with the reason.
	e.srv.Fail("sendMessage", 429, "Too Many Requests: retry after 600", 600)
	m, err := channels.Deliver(ctx, e.st, e.acct, conn, channels.Reply{ConversationID: conv.ID, Text: "again"})
	if !channels.IsTemporary(err) {
		t.Fatalf("long 429: %v, want temporary", err)
	}
	if d, _ := e.st.Delivery(ctx, m.ID); d.State != inbox.DeliveryFailed || !strings.Contains(d.Error, "retry after 600") {
		t.Errorf("delivery = %+v", d)
	}
}
