package channels

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

func openStore(t *testing.T) (*store.Store, inbox.Account) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: "bot"}
	if err := st.CreateAccount(context.Background(), &acct); err != nil {
		t.Fatal(err)
	}
	return st, acct
}

func inbound(acct inbox.Account, n int, sender string) Inbound {
	return Inbound{
		Thread: "chat:" + sender,
		Sender: inbox.Identity{Channel: inbox.ChannelTelegram, Address: sender, Display: "Customer " + sender},
		Message: inbox.Message{ID: inbox.DerivedID("msg", acct.ID, sender, string(rune('a'+n))), Direction: inbox.In,
			Text: "hello", Date: time.Unix(int64(1700000000+n), 0), MessageID: "chat:" + sender + "/" + string(rune('0'+n))},
	}
}

func TestApplyIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st, acct := openStore(t)
	bad := inbound(acct, 2, "77")
	bad.Sender.Address = "  " // no identity: the store refuses it
	_, err := Apply(ctx, st, acct, Batch{Messages: []Inbound{inbound(acct, 1, "77"), bad}, Cursors: map[string]string{"updates": "10"}})
	if err == nil {
		t.Fatal("a batch with an unstorable message was stored")
	}
	if c, _ := st.Cursor(ctx, acct.ID, "updates"); c != "" {
		t.Errorf("cursor = %q after a failed batch, want unchanged", c)
	}
	if cs, _ := st.Conversations(ctx, store.ListFilter{}); len(cs) != 0 {
		t.Errorf("%d conversations after a failed batch, want 0", len(cs))
	}
	res, err := Apply(ctx, st, acct, Batch{Messages: []Inbound{inbound(acct, 1, "77"), inbound(acct, 2, "77"), inbound(acct, 3, "88")},
		Rejects: []Reject{{Key: "update:5", Reason: "broken", Raw: []byte("{")}}, Cursors: map[string]string{"updates": "10"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 3 || res.Rejected != 1 || len(res.Conversations) != 2 {
		t.Errorf("applied %+v, want 3 stored in 2 conversations and 1 reject", res)
	}
	if c, _ := st.Cursor(ctx, acct.ID, "updates"); c != "10" {
		t.Errorf("cursor = %q, want 10", c)
	}
	// The same batch again (redelivery) stores nothing twice.
	res, err = Apply(ctx, st, acct, Batch{Messages: []Inbound{inbound(acct, 1, "77")}, Rejects: []Reject{{Key: "update:5", Reason: "broken"}}})
	if err != nil || res.Stored != 0 || res.Duplicates != 1 {
		t.Errorf("redelivery: %+v, %v; want 1 duplicate", res, err)
	}
	if rj, _ := st.Rejects(ctx, acct.ID); len(rj) != 1 {
		t.Errorf("%d rejects, want 1", len(rj))
	}
}

func TestApplyReopensSnoozed(t *testing.T) {
	ctx := context.Background()
	st, acct := openStore(t)
	if _, err := Apply(ctx, st, acct, Batch{Messages: []Inbound{inbound(acct, 1, "77")}}); err != nil {
		t.Fatal(err)
	}
	cs, _ := st.Conversations(ctx, store.ListFilter{})
	if err := st.SetStatus(ctx, cs[0].ID, inbox.StatusSnoozed, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(ctx, st, acct, Batch{Messages: []Inbound{inbound(acct, 2, "77")}})
	if err != nil || res.Reopened != 1 {
		t.Fatalf("apply: %+v, %v; want 1 reopened", res, err)
	}
	c, _ := st.Conversation(ctx, cs[0].ID)
	if c.Status != inbox.StatusOpen || !c.SnoozedUntil.IsZero() {
		t.Errorf("conversation %s until %s, want open", c.Status, c.SnoozedUntil)
	}
	evs, _ := st.Events(ctx, c.ID)
	found := false
	for _, e := range evs {
		found = found || e.Detail == "snoozed → open (customer wrote)"
	}
	if !found {
		t.Errorf("events = %+v, want the reopening recorded", evs)
	}
}

func TestSettleUnknownSends(t *testing.T) {
	ctx := context.Background()
	st, acct := openStore(t)
	if _, err := Apply(ctx, st, acct, Batch{Messages: []Inbound{inbound(acct, 1, "77")}}); err != nil {
		t.Fatal(err)
	}
	cs, _ := st.Conversations(ctx, store.ListFilter{})
	ms, _ := st.Messages(ctx, cs[0].ID)
	if err := st.SetDelivery(ctx, &inbox.Delivery{MessageID: ms[0].ID, AccountID: acct.ID, State: inbox.DeliverySending}); err != nil {
		t.Fatal(err)
	}
	if err := SettleUnknownSends(ctx, st, acct.ID); err != nil {
		t.Fatal(err)
	}
	d, _ := st.Delivery(ctx, ms[0].ID)
	if d.State != inbox.DeliveryFailed || d.Error == "" || d.Attempts != 1 {
		t.Errorf("delivery = %+v, want failed with a reason after one attempt", d)
	}
	if p, _ := st.PendingDeliveries(ctx, acct.ID); len(p) != 0 {
		t.Errorf("%d still pending", len(p))
	}
}

// TestApplyThreadedIsAllOrNothing: a threaded batch (email) is filed by the
// threader in one transaction: one unstorable message leaves nothing stored
// and the cursor where it was; stored again, the batch doubles nothing.
func TestApplyThreadedIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "tidings.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: "shop@example.com"}
	if err := st.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	mail := func(hash, msgID, inReplyTo, subject string) Inbound {
		return Inbound{Thread: msgID, Sender: inbox.Identity{Channel: inbox.ChannelEmail, Address: "ana@example.com"},
			Message: inbox.Message{ID: "msg_" + hash, ContentHash: hash, MessageID: msgID, InReplyTo: inReplyTo, Subject: subject,
				Direction: inbox.In, From: inbox.Address{Address: "ana@example.com"}, Date: time.Unix(1700000000, 0), Text: subject}}
	}
	first, reply := mail("h1", "<1@x>", "", "Question"), mail("h2", "<2@x>", "<1@x>", "Other subject")
	bad := mail("", "<3@x>", "", "No hash")
	cur := map[string]string{"folder:INBOX": "7/3"}
	if _, err := Apply(ctx, st, acct, Batch{Threads: true, Messages: []Inbound{first, reply, bad}, Cursors: cur}); err == nil {
		t.Fatal("a threaded batch with an unstorable message was stored")
	}
	if c, _ := st.Cursor(ctx, acct.ID, "folder:INBOX"); c != "" {
		t.Errorf("cursor = %q after a failed batch, want unchanged", c)
	}
	if cs, _ := st.Conversations(ctx, store.ListFilter{}); len(cs) != 0 {
		t.Errorf("%d conversations after a failed batch, want 0", len(cs))
	}
	res, err := Apply(ctx, st, acct, Batch{Threads: true, Messages: []Inbound{first, reply}, Cursors: cur})
	if err != nil || res.Stored != 2 || len(res.Conversations) != 1 {
		t.Fatalf("applied %+v, %v; want 2 stored in one conversation (the reply by In-Reply-To)", res, err)
	}
	res, err = Apply(ctx, st, acct, Batch{Threads: true, Messages: []Inbound{first, reply}})
	if err != nil || res.Stored != 0 || res.Duplicates != 2 {
		t.Errorf("again: %+v, %v; want 2 duplicates", res, err)
	}
}
