package syncer

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// withAttachment is a customer's message number i carrying a file of n
// bytes (a PDF-ish pattern) and a small text file.
func withAttachment(i, n int) ([]byte, []byte) {
	pattern := []byte(fmt.Sprintf("%%PDF-%d binary\x00\xff", i))
	data := bytes.Repeat(pattern, n/len(pattern)+1)[:n]
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	fmt.Fprintf(&b, "From: Customer %d <c%d@example.com>\r\nTo: %s\r\nSubject: Invoice %d\r\nMessage-ID: <inv%d@example.com>\r\nDate: %s\r\n",
		i, i, user, i, i, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
	fmt.Fprintf(&b, "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find invoice %d attached, word%d.\r\n", i, i)
	fmt.Fprintf(&b, "--b1\r\nContent-Type: application/pdf; name=\"invoice-%d.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice-%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, i)
	for k := 0; k < len(enc); k += 76 {
		b.WriteString(enc[k:min(k+76, len(enc))] + "\r\n")
	}
	b.WriteString("--b1\r\nContent-Type: text/plain; name=\"notes.txt\"\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n\r\nsmall notes\r\n--b1--\r\n")
	return []byte(b.String()), data
}

// A large sync lists the newest messages from their header first (body
// pending, shown as such), then downloads every body: the messages
// complete in place, searchable by their body, with nothing twice.
func TestHeadersBeforeBodies(t *testing.T) {
	var h *harness
	var firstPending, firstTotal int
	var stub inbox.Message
	h = newHarness(t, &Options{BatchMessages: 5, HeadersFirst: 12, OnChange: func(string) {
		if firstTotal != 0 {
			return
		}
		firstTotal = h.messages()
		firstPending = h.count(`SELECT count(*) FROM messages WHERE body_state = 1`)
		if ids, _ := h.st.MessageIDsByHeader(h.ctx, h.acc.ID, "<q30@example.com>"); len(ids) == 1 {
			stub, _ = h.st.Message(h.ctx, ids[0])
		}
	}})
	for i := 1; i <= 30; i++ {
		h.save("INBOX", customer(i, ""))
	}
	rep := h.sync()
	f := rep.Folders[0]
	if firstTotal == 0 || firstPending != firstTotal {
		t.Errorf("first transaction: %d messages, %d of them header only; want some, all header only", firstTotal, firstPending)
	}
	if !stub.BodyPending || stub.Text != "" || stub.Subject != "Question 30" || stub.From.Address != "c2@example.com" {
		t.Errorf("newest message listed first: got pending %v text %q subject %q from %q, want pending, no text, its header fields",
			stub.BodyPending, stub.Text, stub.Subject, stub.From.Address)
	}
	if f.New != 30 || f.Listed != 12 || f.Bodies != 12 {
		t.Errorf("report: got %v listed %d bodies %d, want 30 new, 12 listed first, 12 completed", f, f.Listed, f.Bodies)
	}
	h.checkConsistent(map[string]int{"INBOX": 30}, 30)
	if n := h.count(`SELECT count(*) FROM messages WHERE body_state <> 0`); n != 0 {
		t.Errorf("%d messages still without their body", n)
	}
	m := h.messageByHeader("<q30@example.com>")
	if m.ID != stub.ID || m.BodyPending || !strings.Contains(m.Text, "question 30") {
		t.Errorf("completed message: id %s (was %s) pending %v text %q, want the same ID with its body", m.ID, stub.ID, m.BodyPending, m.Text)
	}
	var seq int64
	h.st.DB().QueryRow(`SELECT seq FROM messages WHERE id = ?`, m.ID).Scan(&seq)
	if n := h.count(`SELECT count(*) FROM message_fts WHERE message_fts MATCH 'question' AND rowid = ?`, seq); n != 1 {
		t.Errorf("body of a message listed first is not searchable")
	}
}

// A sync interrupted after listing headers fetches the missing bodies next
// time, and only those.
func TestHeadersFirstInterruptedThenCompleted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var h *harness
	h = newHarness(t, &Options{BatchMessages: 4, HeadersFirst: 10, OnChange: func(string) {
		if h.count(`SELECT count(*) FROM messages WHERE body_state = 1`) > 0 {
			cancel() // stop right after the first headers are stored
		}
	}})
	for i := 1; i <= 20; i++ {
		h.save("INBOX", customer(i, ""))
	}
	if _, err := h.sy.SyncAccount(ctx, h.acc); err == nil {
		t.Fatal("a cancelled sync reported success")
	}
	pending := h.count(`SELECT count(*) FROM messages WHERE body_state = 1`)
	if pending == 0 {
		t.Fatal("nothing listed from headers before the cancel")
	}
	h.sy.opts.OnChange = nil
	rep := h.sync()
	f := rep.Folders[0]
	if f.New != 20-pending || f.Bodies != pending+f.Listed {
		t.Errorf("resumed sync: %v listed %d bodies %d, want %d new and the %d pending bodies plus those listed now", f, f.Listed, f.Bodies, 20-pending, pending)
	}
	h.checkConsistent(map[string]int{"INBOX": 20}, 20)
	if n := h.count(`SELECT count(*) FROM messages WHERE body_state <> 0`); n != 0 {
		t.Errorf("%d messages still without their body", n)
	}
}

// Attachments above attachments.prefetch_max_bytes are listed but left on
// the server; the text and small attachments are there; FetchAttachment
// downloads one on demand and fails clearly when the server is away.
func TestPrefetchLimitAndFetchOnDemand(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 3, HeadersFirst: 2})
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "20000"); err != nil {
		t.Fatal(err)
	}
	big, bigData := withAttachment(1, 60000)
	small, smallData := withAttachment(2, 3000)
	h.save("INBOX", big)
	h.save("INBOX", small)
	for i := 1; i <= 6; i++ {
		h.save("INBOX", customer(i, ""))
	}
	rep := h.sync()
	if rep.New() != 8 {
		t.Fatalf("new: got %d, want 8 (%v)", rep.New(), rep.Folders)
	}
	m := h.messageByHeader("<inv1@example.com>")
	if m.BodyPending || !strings.Contains(m.Text, "invoice 1 attached") || len(m.Attachments) != 2 {
		t.Fatalf("message with a large attachment: pending %v text %q attachments %d, want readable with 2 attachments", m.BodyPending, m.Text, len(m.Attachments))
	}
	pdf, notes := m.Attachments[0], m.Attachments[1]
	if pdf.Fetched || pdf.Name != "invoice-1.pdf" || pdf.ContentType != "application/pdf" || pdf.Size < 55000 || pdf.Size > 65000 {
		t.Errorf("large attachment: got %+v, want listed (name, type, about 60000 bytes), not fetched", pdf)
	}
	if a, err := h.st.Attachment(h.ctx, notes.ID); err != nil || !a.Fetched || string(a.Data) != "small notes" {
		t.Errorf("small attachment beside it: got %q fetched %v (%v), want its data", a.Data, a.Fetched, err)
	}
	if a, err := h.st.Attachment(h.ctx, h.messageByHeader("<inv2@example.com>").Attachments[0].ID); err != nil || !bytes.Equal(a.Data, smallData) {
		t.Errorf("attachment under the limit: got %d bytes (%v), want %d", len(a.Data), err, len(smallData))
	}
	if ids, _ := h.st.UnfetchedAttachments(h.ctx, m.ConversationID); len(ids) != 1 || ids[0] != pdf.ID {
		t.Errorf("unfetched: got %v, want [%s]", ids, pdf.ID)
	}
	got, err := h.sy.FetchAttachment(h.ctx, pdf.ID)
	if err != nil || !got.Fetched || !bytes.Equal(got.Data, bigData) {
		t.Fatalf("fetch on demand: got %d bytes fetched %v (%v), want the %d original bytes", len(got.Data), got.Fetched, err, len(bigData))
	}
	if a, _ := h.st.Attachment(h.ctx, pdf.ID); !bytes.Equal(a.Data, bigData) {
		t.Errorf("fetched attachment not stored")
	}
	if flags := h.serverFlags("INBOX", "<inv1@example.com>"); strings.Contains(flags, `\Seen`) {
		t.Errorf("fetching an attachment marked the message read on the server: %q", flags)
	}
	h.checkConsistent(map[string]int{"INBOX": 8}, 8)
	// Nothing to do next time; the partial message is not fetched again.
	if again := h.sync(); again.New() != 0 || again.Folders[0].Known != 0 {
		t.Errorf("resync: %v, want nothing new or refetched", again.Folders)
	}

	// Offline: a clear error, nothing stored.
	h2 := newHarness(t, nil)
	h2.st.SetSetting(h2.ctx, PrefetchSetting, "20000")
	big3, _ := withAttachment(3, 50000)
	h2.save("INBOX", big3)
	h2.sync()
	att := h2.messageByHeader("<inv3@example.com>").Attachments[0]
	h2.dove.Stop()
	_, err = h2.sy.FetchAttachment(h2.ctx, att.ID)
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Errorf("offline fetch: got %v, want an error saying the server cannot be reached", err)
	}
	if a, _ := h2.st.Attachment(h2.ctx, att.ID); a.Fetched {
		t.Errorf("offline fetch stored something")
	}
	if _, err := h2.sy.FetchAttachment(h2.ctx, "att_nope"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown attachment: got %v, want ErrNotFound", err)
	}
}

// Copies in another folder of messages stored whole earlier are listed
// from their header like any other (a complete message keeps no header
// hash); when their bodies come they are recognised by content and fold
// into the stored message: one message, two locations, no empty
// conversation left behind.
func TestHeaderOnlyCopyFoldsIntoStoredMessage(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 4, HeadersFirst: 10})
	for i := 1; i <= 3; i++ {
		h.save("INBOX", customer(i, ""))
	}
	h.sync()
	for i := 1; i <= 10; i++ { // 1-3 are copies of the inbox's
		h.save("Archive", customer(i, ""))
	}
	rep := h.sync()
	var archive FolderReport
	for _, f := range rep.Folders {
		if f.Folder == "Archive" {
			archive = f
		}
	}
	if archive.Listed == 0 {
		t.Fatalf("archive: %v listed %d, want a header-first pass", archive, archive.Listed)
	}
	h.checkConsistent(map[string]int{"INBOX": 3, "Archive": 10}, 10)
	m := h.messageByHeader("<q2@example.com>")
	locs, _ := h.st.MessageLocations(h.ctx, m.ID)
	if len(locs) != 2 {
		t.Errorf("message in both folders: %d locations, want 2", len(locs))
	}
	if n := h.count(`SELECT count(*) FROM conversations WHERE message_count = 0`); n != 0 {
		t.Errorf("%d empty conversations left", n)
	}
}
