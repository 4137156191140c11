package emailconn

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// drainInto receives and stores until nothing is waiting and returns the
// totals.
func drainInto(t *testing.T, c *Connector, apply func(channels.Batch) channels.Applied, cursors map[string]string) channels.Applied {
	t.Helper()
	var total channels.Applied
	for range 20 {
		b, err := c.Receive(context.Background(), cursors)
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if b.Empty() {
			return total
		}
		a := apply(b)
		total.Stored += a.Stored
		total.Duplicates += a.Duplicates
		total.Rejected += a.Rejected
		for k, v := range b.Cursors {
			cursors[k] = v
		}
	}
	t.Fatal("still receiving after 20 rounds")
	return total
}

// TestNetworkDropMidPollLosesNothing: the connection dies while Receive
// waits in IDLE; the error is temporary, the cursors stay where they were,
// and the next Receive connects again and gets what arrived meanwhile.
func TestNetworkDropMidPollLosesNothing(t *testing.T) {
	e := newMailEnv(t, "acc_drop")
	c := New(Options{Account: e.acct, Config: e.cfg, Auth: email.Auth{Password: password}, Wait: 30 * time.Second,
		IMAP: &email.Options{ReadTimeout: 20 * time.Second}})
	defer c.Close()
	ctx := context.Background()
	cursors := map[string]string{}
	e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: "First", Text: "first"})
	b, err := c.Receive(ctx, cursors)
	if err != nil || len(b.Messages) != 1 {
		t.Fatalf("first receive: %d messages, %v", len(b.Messages), err)
	}
	for k, v := range b.Cursors {
		cursors[k] = v
	}
	errc := make(chan error, 1)
	go func() {
		_, err := c.Receive(ctx, cursors) // nothing new: waits in IDLE
		errc <- err
	}()
	time.Sleep(300 * time.Millisecond) // let it reach IDLE (a cut before is fine too)
	e.proxy.Cut()
	select {
	case err = <-errc:
	case <-time.After(25 * time.Second):
		t.Fatal("Receive did not return after the connection was cut")
	}
	if !channels.IsTemporary(err) {
		t.Fatalf("cut mid-poll: %v (%s), want temporary", err, channels.KindOf(err))
	}
	e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: "Second", Text: "second"})
	c.opt.Wait = 0
	b, err = c.Receive(ctx, cursors)
	if err != nil || len(b.Messages) != 1 || b.Messages[0].Message.Subject != "Second" {
		t.Fatalf("after the drop: %d messages, %v; want only the second", len(b.Messages), err)
	}
}

// TestUnreadableMailIsKeptRaw: bytes that are no email message are stored
// with their original and the reason, and the cursor passes them.
func TestUnreadableMailIsKeptRaw(t *testing.T) {
	e := newMailEnv(t, "acc_raw")
	st := openTestStore(t, e.acct)
	garbage := []byte("\x00\x01\x02 this is not a message \xff\xfe")
	if err := e.srv.Save(owner, "INBOX", garbage); err != nil {
		t.Fatal(err)
	}
	c := e.connector(password)
	defer c.Close()
	ctx := context.Background()
	cursors := map[string]string{}
	got := drainInto(t, c, func(b channels.Batch) channels.Applied {
		a, err := channels.Apply(ctx, st, e.acct, b)
		if err != nil {
			t.Fatalf("store: %v", err)
		}
		return a
	}, cursors)
	if got.Stored != 1 {
		t.Fatalf("stored %d, want the unreadable message kept", got.Stored)
	}
	convs, _ := st.Conversations(ctx, store.ListFilter{AccountID: e.acct.ID})
	ms, _ := st.Messages(ctx, convs[0].ID)
	if len(ms) != 1 || ms[0].ParseError == "" {
		t.Fatalf("messages %+v, want one with its parse error", ms)
	}
	raw, err := st.RawMessage(ctx, ms[0].ID)
	if err != nil || !bytes.Contains(raw, []byte("this is not a message")) {
		t.Errorf("original: %q, %v; want the bytes kept", raw, err)
	}
	if ParseCursor(cursors[Scope("INBOX")]).UID == 0 {
		t.Errorf("cursor %q did not pass the unreadable message", cursors[Scope("INBOX")])
	}
}

// TestUIDValidityChangeDoublesNothing: after the server renumbers a folder
// (a restore, a migration) the connector starts it again from the bottom
// and every message is recognised by its content: nothing stored twice.
func TestUIDValidityChangeDoublesNothing(t *testing.T) {
	e := newMailEnv(t, "acc_uidvalidity")
	st := openTestStore(t, e.acct)
	for _, s := range []string{"One", "Two", "Three"} {
		e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: s, Text: s})
	}
	ctx := context.Background()
	apply := func(b channels.Batch) channels.Applied {
		a, err := channels.Apply(ctx, st, e.acct, b)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	c := e.connector(password)
	cursors := map[string]string{}
	if got := drainInto(t, c, apply, cursors); got.Stored != 3 {
		t.Fatalf("first sync stored %d, want 3", got.Stored)
	}
	c.Close()
	before := ParseCursor(cursors[Scope("INBOX")])
	if err := e.srv.ResetUIDValidity(owner, "INBOX"); err != nil {
		t.Fatal(err)
	}
	e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: "Four", Text: "Four"})
	c = e.connector(password)
	defer c.Close()
	got := drainInto(t, c, apply, cursors)
	if got.Stored != 1 || got.Duplicates != 3 {
		t.Errorf("after the UIDVALIDITY change: stored %d, duplicates %d; want 1 and 3", got.Stored, got.Duplicates)
	}
	if after := ParseCursor(cursors[Scope("INBOX")]); after.UIDValidity == before.UIDValidity {
		t.Errorf("cursor kept UIDVALIDITY %d, want the new one", after.UIDValidity)
	}
}

// TestUIDsAbove: "UID SEARCH UID n:*" names the last message even when
// nothing is above n; UIDsAbove leaves it out.
func TestUIDsAbove(t *testing.T) {
	e := newMailEnv(t, "acc_uids")
	for _, s := range []string{"One", "Two", "Three"} {
		e.save(t, "INBOX", email.Draft{From: customer, To: []inbox.Address{{Address: owner}}, Subject: s, Text: s})
	}
	ctx := context.Background()
	sess, err := email.Connect(ctx, e.cfg, email.Auth{Password: password}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Select(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		above uint32
		want  string
	}{{0, "[1 2 3]"}, {1, "[2 3]"}, {3, "[]"}, {10, "[]"}} {
		got, err := sess.UIDsAbove(ctx, c.above)
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(got); s != c.want && !(c.want == "[]" && len(got) == 0) {
			t.Errorf("UIDs above %d = %s, want %s", c.above, s, c.want)
		}
	}
}
