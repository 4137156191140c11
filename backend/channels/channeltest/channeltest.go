// Package channeltest is the conformance suite every channel connector
// passes, email included: receive, resume from a saved cursor with nothing
// lost or doubled after a crash (checked against a real SQLite store),
// send once, attachment round trip, permanent versus temporary errors, and
// for channels with threads of their own (email) that a customer's reply
// is stored in the conversation of the message it answers.
// A connector's test supplies a Harness over its fake or real remote side
// and calls Run.
package channeltest

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// SentMessage is what the remote side received from the business.
type SentMessage struct {
	Text  string
	Files []inbox.Attachment
}

// Harness drives one connector and its remote side.
type Harness struct {
	// Account is the account the connectors are built for; the suite
	// stores it in a fresh SQLite file.
	Account inbox.Account
	// New returns a new connector against the same remote side, as after a
	// restart. The suite connects and closes it.
	New func(t *testing.T) channels.Connector
	// Deliver makes a customer send text, with a file when file is not nil.
	Deliver func(t *testing.T, text string, file *inbox.Attachment)
	// Sent returns everything the business sent so far, in order.
	Sent func(t *testing.T) []SentMessage
	// FailNextReceive makes the next receive fail the way a network drop
	// or a server error does.
	FailNextReceive func(t *testing.T)
	// BreakCredentials makes the account's credentials invalid (a revoked
	// token, a changed password).
	BreakCredentials func(t *testing.T)
	// DeliverReply makes the customer answer parent (a message received
	// before, the business's own when the channel shows those) with text,
	// under a subject of its own and naming only parent (as clients that
	// write no References do), so that only the channel's threading ties
	// it to parent's conversation. Required when the connector's
	// Capabilities.Threads is set.
	DeliverReply func(t *testing.T, text string, parent channels.Inbound)
	// MaxRounds bounds the receives spent waiting for delivered messages
	// (default 10).
	MaxRounds int
}

// Run runs the suite. Subtests run in order and share the remote side, so
// each counts only what it delivered.
func Run(t *testing.T, h Harness) {
	if h.MaxRounds == 0 {
		h.MaxRounds = 10
	}
	t.Run("Receive", func(t *testing.T) { testReceive(t, h) })
	t.Run("ResumeAfterCrash", func(t *testing.T) { testResume(t, h) })
	t.Run("SendOnce", func(t *testing.T) { testSendOnce(t, h) })
	t.Run("AttachmentRoundTrip", func(t *testing.T) { testAttachments(t, h) })
	t.Run("Threads", func(t *testing.T) { testThreads(t, h) })
	t.Run("TemporaryError", func(t *testing.T) { testTemporary(t, h) })
	t.Run("PermanentError", func(t *testing.T) { testPermanent(t, h) })
}

func connect(t *testing.T, h Harness) channels.Connector {
	t.Helper()
	c := h.New(t)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// openStore opens a fresh SQLite store holding the harness's account.
func openStore(t *testing.T, h Harness) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acct := h.Account
	if err := st.CreateAccount(context.Background(), &acct); err != nil {
		t.Fatal(err)
	}
	return st
}

// drain receives until every message already delivered was returned
// (an empty batch), saving cursors only in cursors. It returns the
// messages in order.
func drain(t *testing.T, h Harness, c channels.Connector, cursors map[string]string, want int) []channels.Inbound {
	t.Helper()
	var got []channels.Inbound
	for i := 0; i < h.MaxRounds && len(got) < want; i++ {
		b, err := c.Receive(context.Background(), cursors)
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		got = append(got, b.Messages...)
		for k, v := range b.Cursors {
			cursors[k] = v
		}
	}
	if len(got) != want {
		t.Fatalf("received %d messages, want %d", len(got), want)
	}
	return got
}

// skip receives until nothing is waiting, so a subtest counts only what it
// delivered.
func skip(t *testing.T, h Harness, c channels.Connector, cursors map[string]string) {
	t.Helper()
	for range h.MaxRounds {
		b, err := c.Receive(context.Background(), cursors)
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if b.Empty() {
			return
		}
		for k, v := range b.Cursors {
			cursors[k] = v
		}
	}
	t.Fatalf("still receiving after %d rounds", h.MaxRounds)
}

func testReceive(t *testing.T, h Harness) {
	c := connect(t, h)
	cursors := map[string]string{}
	skip(t, h, c, cursors)
	texts := []string{"Hello, is the blue teapot in stock?", "Second message", "Third — with ünïcode ✓"}
	for _, s := range texts {
		h.Deliver(t, s, nil)
	}
	got := drain(t, h, c, cursors, len(texts))
	seen := map[string]bool{}
	for i, in := range got {
		m := in.Message
		if m.Text != texts[i] {
			t.Errorf("message %d text = %q, want %q", i, m.Text, texts[i])
		}
		if m.Direction != inbox.In {
			t.Errorf("message %d direction = %q, want in", i, m.Direction)
		}
		if m.ID == "" || seen[m.ID] {
			t.Errorf("message %d ID %q is empty or repeated", i, m.ID)
		}
		seen[m.ID] = true
		if in.Thread == "" || in.Sender.Address == "" || in.Sender.Channel == "" {
			t.Errorf("message %d has thread %q, sender %+v: want both set", i, in.Thread, in.Sender)
		}
		if m.Date.IsZero() {
			t.Errorf("message %d has no date", i)
		}
	}
}

func testResume(t *testing.T, h Harness) {
	ctx := context.Background()
	st := openStore(t, h)
	c := connect(t, h)
	threads := c.Capabilities().Threads
	saved, err := st.Cursors(ctx, h.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Whatever earlier subtests left is stored first.
	for range h.MaxRounds {
		b, err := c.Receive(ctx, saved)
		if err != nil {
			t.Fatal(err)
		}
		if b.Empty() {
			break
		}
		b.Threads = b.Threads || threads
		if _, err := channels.Apply(ctx, st, h.Account, b); err != nil {
			t.Fatal(err)
		}
		saved, _ = st.Cursors(ctx, h.Account.ID)
	}
	h.Deliver(t, "before the crash 1", nil)
	h.Deliver(t, "before the crash 2", nil)
	// Receive, then "crash" before storing: the cursors are not saved.
	lost := drain(t, h, c, copyMap(saved), 2)
	c.Close()

	// After a restart the same messages come again, with the same IDs.
	c2 := connect(t, h)
	cur := copyMap(saved)
	again := drain(t, h, c2, cur, 2)
	for i := range lost {
		if lost[i].Message.ID != again[i].Message.ID {
			t.Errorf("message %d ID after restart = %s, want %s", i, again[i].Message.ID, lost[i].Message.ID)
		}
	}
	res, err := channels.Apply(ctx, st, h.Account, channels.Batch{Messages: again, Cursors: diff(saved, cur), Threads: threads})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 2 {
		t.Errorf("stored %d, want 2", res.Stored)
	}
	// Storing the same batch twice (a crash after commit, before the
	// remote side heard of it) doubles nothing.
	res, err = channels.Apply(ctx, st, h.Account, channels.Batch{Messages: lost, Threads: threads})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 0 || res.Duplicates != 2 {
		t.Errorf("second store: stored %d, duplicates %d; want 0 and 2", res.Stored, res.Duplicates)
	}
	h.Deliver(t, "after the restart", nil)
	saved, _ = st.Cursors(ctx, h.Account.ID)
	next := drain(t, h, c2, copyMap(saved), 1)
	if next[0].Message.Text != "after the restart" {
		t.Errorf("after resuming got %q, want only the new message", next[0].Message.Text)
	}
	b, err := c2.Receive(ctx, saved)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Messages) != 1 {
		t.Errorf("receiving again from the saved cursor gave %d messages, want 1 (the unsaved one)", len(b.Messages))
	}
	convs, err := st.Conversations(ctx, store.ListFilter{AccountID: h.Account.ID})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, cv := range convs {
		total += cv.MessageCount
	}
	if total < 2 {
		t.Errorf("store holds %d messages, want at least 2", total)
	}
}

func testSendOnce(t *testing.T, h Harness) {
	c := connect(t, h)
	cursors := map[string]string{}
	skip(t, h, c, cursors)
	h.Deliver(t, "Can I pay by card?", nil)
	in := drain(t, h, c, cursors, 1)[0]
	before := len(h.Sent(t))
	res, err := c.Send(context.Background(), channels.Outbound{MessageID: inbox.NewID(inbox.PrefixMessage), Thread: in.Thread,
		To: in.Sender.Address, Text: "Yes, we take cards.", QuoteID: in.Message.MessageID})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if res.RemoteID == "" {
		t.Error("send returned no remote ID")
	}
	sent := h.Sent(t)[before:]
	if len(sent) != 1 {
		t.Fatalf("remote side received %d messages, want exactly 1", len(sent))
	}
	if sent[0].Text != "Yes, we take cards." {
		t.Errorf("sent text = %q, want %q", sent[0].Text, "Yes, we take cards.")
	}
}

func testAttachments(t *testing.T, h Harness) {
	c := connect(t, h)
	if !c.Capabilities().Attachments {
		t.Skip("the channel carries no attachments")
	}
	cursors := map[string]string{}
	skip(t, h, c, cursors)
	data := bytes.Repeat([]byte("%PDF-1.4 invoice "), 300)
	h.Deliver(t, "Here is the invoice", &inbox.Attachment{Name: "invoice.pdf", ContentType: "application/pdf", Data: data})
	in := drain(t, h, c, cursors, 1)[0]
	if len(in.Message.Attachments) != 1 {
		t.Fatalf("got %d attachments, want 1", len(in.Message.Attachments))
	}
	a := in.Message.Attachments[0]
	if !bytes.Equal(a.Data, data) || !a.Fetched {
		t.Errorf("attachment: fetched %v, %d bytes; want fetched, %d bytes equal to the original", a.Fetched, len(a.Data), len(data))
	}
	if a.Name != "invoice.pdf" {
		t.Errorf("attachment name = %q, want invoice.pdf", a.Name)
	}
	before := len(h.Sent(t))
	out := []byte("receipt bytes \x00\x01\x02")
	if _, err := c.Send(context.Background(), channels.Outbound{Thread: in.Thread, To: in.Sender.Address, Text: "Your receipt",
		Attachments: []inbox.Attachment{{Name: "receipt.txt", ContentType: "text/plain", Data: out}}}); err != nil {
		t.Fatalf("send with attachment: %v", err)
	}
	sent := h.Sent(t)[before:]
	var files []inbox.Attachment
	for _, s := range sent {
		files = append(files, s.Files...)
	}
	if len(files) != 1 || !bytes.Equal(files[0].Data, out) || files[0].Name != "receipt.txt" {
		t.Errorf("remote side got files %v, want receipt.txt with the bytes sent", names(files))
	}
}

func testTemporary(t *testing.T, h Harness) {
	c := connect(t, h)
	cursors := map[string]string{}
	skip(t, h, c, cursors)
	h.Deliver(t, "survives a network drop", nil)
	h.FailNextReceive(t)
	_, err := c.Receive(context.Background(), cursors)
	if err == nil {
		t.Fatal("receive after a failure: no error")
	}
	if !channels.IsTemporary(err) {
		t.Errorf("error kind = %s, want temporary (%v)", channels.KindOf(err), err)
	}
	got := drain(t, h, c, cursors, 1)
	if got[0].Message.Text != "survives a network drop" {
		t.Errorf("after the failure got %q", got[0].Message.Text)
	}
}

func testPermanent(t *testing.T, h Harness) {
	h.BreakCredentials(t)
	c := h.New(t)
	defer c.Close()
	err := c.Connect(context.Background())
	if err == nil {
		_, err = c.Receive(context.Background(), map[string]string{})
	}
	if !channels.IsPermanent(err) {
		t.Fatalf("with broken credentials: error %v of kind %s, want permanent", err, channels.KindOf(err))
	}
	if channels.HintOf(err) == "" {
		t.Errorf("permanent error %q says nothing about what to do", err)
	}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// diff returns the entries of b that differ from a.
func diff(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range b {
		if a[k] != v {
			out[k] = v
		}
	}
	return out
}

func names(as []inbox.Attachment) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}
