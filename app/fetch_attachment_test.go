package app

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"tidings/backend/syncer"
)

// invoice is a message carrying a 40 KB PDF-ish file.
func invoice() ([]byte, []byte) {
	data := bytes.Repeat([]byte("%PDF-1.4 invoice bytes \x00\x01\xfe"), 1600)
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	fmt.Fprintf(&b, "From: Ann <ann@example.com>\r\nTo: %s\r\nSubject: Invoice\r\nMessage-ID: <inv@example.com>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n", mailUser)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe invoice is attached.\r\n")
	b.WriteString("--b\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for k := 0; k < len(enc); k += 76 {
		b.WriteString(enc[k:min(k+76, len(enc))] + "\r\n")
	}
	b.WriteString("--b--\r\n")
	return []byte(b.String()), data
}

// The window's download button: an attachment above the limit is listed
// but not downloaded by the sync; FetchAttachment brings it, after which it
// opens from the store; with the server away it fails saying so.
func TestFetchAttachmentFromTheWindow(t *testing.T) {
	h := newMailHarness(t, mailPass)
	if err := h.ws.Store.SetSetting(h.ctx, syncer.PrefetchSetting, "10000"); err != nil {
		t.Fatal(err)
	}
	raw, data := invoice()
	if err := h.dove.Save(mailUser, "INBOX", raw); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
	conv := h.conversationWith("inv@example.com")
	a := New(h.ws, h.rec)
	ids, err := a.UnfetchedAttachments(conv)
	if err != nil || len(ids) != 1 {
		t.Fatalf("unfetched after sync: %v, %v; want the invoice", ids, err)
	}
	th, err := a.Thread(conv)
	if err != nil || !strings.Contains(th.Messages[0].Text, "invoice is attached") || !th.Messages[0].Attachments[0].NotDownloaded {
		t.Fatalf("thread: %+v, %v; want the text readable and the attachment marked not downloaded", th.Messages, err)
	}
	if _, err := a.AttachmentData(ids[0]); err == nil {
		t.Fatal("AttachmentData of an attachment left on the server: got no error")
	}
	if err := a.FetchAttachment(ids[0]); err != nil {
		t.Fatalf("FetchAttachment: %v", err)
	}
	f, err := a.AttachmentData(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := base64.StdEncoding.DecodeString(f.Data); !bytes.Equal(got, data) || f.Name != "invoice.pdf" {
		t.Errorf("after FetchAttachment: %s with %d bytes, want invoice.pdf with the %d original bytes", f.Name, len(got), len(data))
	}
	if ids, _ := a.UnfetchedAttachments(conv); len(ids) != 0 {
		t.Errorf("still unfetched after download: %v", ids)
	}

	// Offline: a second one, fetched with the server stopped.
	raw2 := bytes.Replace(raw, []byte("<inv@example.com>"), []byte("<inv2@example.com>"), 1)
	if err := h.dove.Save(mailUser, "INBOX", raw2); err != nil {
		t.Fatal(err)
	}
	var conv2 string
	h.eventually("second invoice synced", func() bool { conv2 = h.conversationWith("inv2@example.com"); return conv2 != "" })
	h.eventually("idle again", func() bool { return h.state().State == MailIdle })
	ids2, _ := a.UnfetchedAttachments(conv2)
	if len(ids2) != 1 {
		t.Fatalf("second invoice: unfetched %v, want one", ids2)
	}
	h.dove.Stop()
	err = a.FetchAttachment(ids2[0])
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Errorf("offline FetchAttachment: got %v, want an error saying the server cannot be reached", err)
	}
}
