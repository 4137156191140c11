package syncer

import (
	"strings"
	"testing"
)

func TestInitialSyncAndNoop(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 7})
	for i := 1; i <= 30; i++ {
		h.save("INBOX", customer(i, ""))
	}
	reply := []byte("From: Shop <" + user + ">\r\nTo: c1@example.com\r\nSubject: Re: Question 1\r\nMessage-ID: <r1@shop.example>\r\nIn-Reply-To: <q1@example.com>\r\nDate: Sun, 1 Mar 2026 09:00:00 +0000\r\n\r\nAnswer.\r\n")
	h.save("Sent", reply)
	h.save("Archive", customer(5, "")) // the same message filed twice
	rep := h.sync()
	if got := rep.New(); got != 31 {
		t.Errorf("new messages: got %d, want 31 (30 inbox + 1 sent; the archived copy is known) %v", got, rep.Folders)
	}
	if n := h.messages(); n != 31 {
		t.Errorf("messages stored: got %d, want 31", n)
	}
	if n := h.count(`SELECT count(*) FROM message_locations`); n != 32 {
		t.Errorf("locations: got %d, want 32", n)
	}
	r := h.messageByHeader("<r1@shop.example>")
	q := h.messageByHeader("<q1@example.com>")
	if r.Direction != "out" || r.ConversationID != q.ConversationID {
		t.Errorf("sent reply: direction %s conversation %s, want out in %s", r.Direction, r.ConversationID, q.ConversationID)
	}
	// Nothing new: every folder is answered from its cursor alone.
	again := h.sync()
	for _, f := range again.Folders {
		if !f.NothingToDo || f.New+f.Known+f.Gone+f.FlagsIn+f.FlagsOut != 0 {
			t.Errorf("no-op resync of %s: got %v (unchanged %v), want nothing done", f.Folder, f, f.NothingToDo)
		}
	}
	if n := h.messages(); n != 31 {
		t.Errorf("after resync: %d messages, want 31", n)
	}
}

func TestFlagsBothWaysAndExpunge(t *testing.T) {
	h := newHarness(t, nil)
	for i := 1; i <= 5; i++ {
		h.save("INBOX", customer(i, ""))
	}
	h.sync()
	// Server to local.
	if err := h.dove.Flags(user, `\Seen \Flagged`, "mailbox", "INBOX", "uid", "2"); err != nil {
		t.Fatal(err)
	}
	// Local to server.
	m3 := h.messageByHeader("<q3@example.com>")
	if err := h.st.MarkMessageRead(h.ctx, m3.ID, true); err != nil {
		t.Fatal(err)
	}
	rep := h.sync()
	if m2 := h.messageByHeader("<q2@example.com>"); !m2.Read || !m2.Flagged {
		t.Errorf("server flags: read %v flagged %v, want both", m2.Read, m2.Flagged)
	}
	if got := h.serverFlags("INBOX", "<q3@example.com>"); !strings.Contains(got, `\Seen`) {
		t.Errorf("local read not sent: server flags %q, want \\Seen (%v)", got, rep.Folders)
	}
	// Unread on the server after read locally: the server's change wins.
	if _, err := h.dove.Doveadm(nil, "flags", "remove", "-u", user, `\Seen`, "mailbox", "INBOX", "uid", "3"); err != nil {
		t.Fatal(err)
	}
	h.sync()
	if m := h.messageByHeader("<q3@example.com>"); m.Read {
		t.Errorf("server unread: still read locally")
	}
	// Expunged by another client: kept, marked gone.
	if err := h.dove.Expunge(user, "mailbox", "INBOX", "uid", "4"); err != nil {
		t.Fatal(err)
	}
	rep = h.sync()
	if rep.Folders[0].Gone != 1 {
		t.Errorf("gone: got %d, want 1", rep.Folders[0].Gone)
	}
	m4 := h.messageByHeader("<q4@example.com>")
	if gone, _ := h.st.MessageGone(h.ctx, m4.ID); !gone {
		t.Errorf("expunged message not marked gone")
	}
	if n := h.messages(); n != 5 {
		t.Errorf("messages after expunge: got %d, want 5 (never deleted)", n)
	}
}

func TestUIDValidityChangeRemaps(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 4})
	for i := 1; i <= 10; i++ {
		h.save("INBOX", customer(i, ""))
	}
	h.sync()
	m := h.messageByHeader("<q7@example.com>")
	if err := h.st.MarkRead(h.ctx, m.ConversationID, true); err != nil {
		t.Fatal(err)
	}
	if err := h.st.SetStatus(h.ctx, m.ConversationID, "closed", m.Date); err != nil {
		t.Fatal(err)
	}
	h.sync() // push the read flag first
	before := h.count(`SELECT count(*) FROM events`)
	if err := h.dove.ResetUIDValidity(user, "INBOX"); err != nil {
		t.Fatal(err)
	}
	h.save("INBOX", customer(11, ""))
	rep := h.sync()
	f := rep.Folders[0]
	if !f.Remapped || f.New != 1 || f.Matched != 10 || f.Known != 0 {
		t.Errorf("after UIDVALIDITY change: got %v remapped=%v matched=%d, want 1 new, 10 matched without download", f, f.Remapped, f.Matched)
	}
	if n := h.messages(); n != 11 {
		t.Errorf("messages: got %d, want 11 (no duplicates)", n)
	}
	if n := h.count(`SELECT count(*) FROM message_locations WHERE folder = 'INBOX' AND gone_at = 0`); n != 11 {
		t.Errorf("live locations: got %d, want 11", n)
	}
	m2 := h.messageByHeader("<q7@example.com>")
	c, _ := h.st.Conversation(h.ctx, m2.ConversationID)
	if m2.ID != m.ID || !m2.Read || c.Status != "closed" {
		t.Errorf("local state lost: id %s→%s read %v status %s", m.ID, m2.ID, m2.Read, c.Status)
	}
	if after := h.count(`SELECT count(*) FROM events`); after != before {
		t.Errorf("events: %d → %d, want no new status changes", before, after)
	}
}

func TestMovedToArchiveIsNotGone(t *testing.T) {
	h := newHarness(t, nil)
	h.save("INBOX", customer(1, ""))
	h.sync()
	if _, err := h.dove.Doveadm(nil, "move", "-u", user, "Archive", "mailbox", "INBOX", "uid", "1"); err != nil {
		t.Fatal(err)
	}
	h.sync()
	m := h.messageByHeader("<q1@example.com>")
	if gone, _ := h.st.MessageGone(h.ctx, m.ID); gone {
		t.Errorf("a message moved to Archive is marked gone")
	}
	if n := h.messages(); n != 1 {
		t.Errorf("messages: got %d, want 1", n)
	}
}

// TestUIDValidityChangeSameMessageIDTwice: two different messages sharing a
// Message-ID cannot be told apart by Message-ID and size alone when their
// sizes match, so they are downloaded again and sorted out by content hash.
func TestUIDValidityChangeSameMessageIDTwice(t *testing.T) {
	h := newHarness(t, nil)
	a := []byte("From: a@example.com\r\nSubject: Hi\r\nMessage-ID: <dup@example.com>\r\n\r\nBody one\r\n")
	b := []byte("From: a@example.com\r\nSubject: Hi\r\nMessage-ID: <dup@example.com>\r\n\r\nBody two\r\n")
	h.save("INBOX", a)
	h.save("INBOX", b)
	h.sync()
	if n := h.messages(); n != 2 {
		t.Fatalf("messages: %d, want 2 (same Message-ID, different content)", n)
	}
	if err := h.dove.ResetUIDValidity(user, "INBOX"); err != nil {
		t.Fatal(err)
	}
	rep := h.sync()
	f := rep.Folders[0]
	if f.Matched != 0 || f.Known != 2 || f.New != 0 {
		t.Errorf("got %v matched=%d, want 2 known by content hash", f, f.Matched)
	}
	h.checkConsistent(map[string]int{"INBOX": 2}, 2)
}
