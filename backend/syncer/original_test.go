package syncer

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/export"
)

// exportOf writes the conversation holding a message as fmt and returns the
// result and the bytes of the message in it (for EML, its .eml file).
func (h *harness) exportOf(f export.Format, convID string, complete func() *Syncer) (export.Result, []byte) {
	h.t.Helper()
	out := filepath.Join(h.t.TempDir(), "out."+string(f))
	o := export.Options{Format: f, ConversationIDs: []string{convID}, Out: out}
	if complete != nil {
		o.Complete = complete().FetchOriginals
	}
	res, err := export.Export(h.ctx, h.st, o)
	if err != nil {
		h.t.Fatalf("export %s: %v", f, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		h.t.Fatal(err)
	}
	if f != export.EML {
		return res, b
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(zr.File) != 1 {
		h.t.Fatalf("eml zip: %d files (%v), want 1", len(zr.File), err)
	}
	rc, _ := zr.File[0].Open()
	defer rc.Close()
	eml, _ := io.ReadAll(rc)
	return res, eml
}

// A large attachment left on the server and downloaded on demand makes
// the stored original whole: the export (mbox, EML) holds the message the
// server holds, byte for byte, and the attachments read from it.
func TestExportAfterAttachmentFetchedHasIt(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "20000"); err != nil {
		t.Fatal(err)
	}
	big, bigData := withAttachment(1, 60000)
	h.save("INBOX", big)
	h.sync()
	m := h.messageByHeader("<inv1@example.com>")
	pdf, notes := m.Attachments[0], m.Attachments[1]
	if pdf.Fetched {
		t.Fatal("large attachment downloaded ahead despite the limit")
	}
	got, err := h.sy.FetchAttachment(h.ctx, pdf.ID)
	if err != nil || !bytes.Equal(got.Data, bigData) {
		t.Fatalf("fetch on demand: %d bytes (%v), want %d", len(got.Data), err, len(bigData))
	}
	if raw, err := h.st.RawMessage(h.ctx, m.ID); err != nil || !bytes.Equal(raw, big) {
		t.Errorf("stored original after the download: %d bytes (%v), want the server's %d exactly", len(raw), err, len(big))
	}
	for _, c := range []struct {
		id   string
		want []byte
	}{{pdf.ID, bigData}, {notes.ID, []byte("small notes")}} {
		if a, err := h.st.Attachment(h.ctx, c.id); err != nil || !a.Fetched || !bytes.Equal(a.Data, c.want) {
			t.Errorf("attachment %s after the original came: %d bytes fetched %v (%v), want %d", c.id, len(a.Data), a.Fetched, err, len(c.want))
		}
	}
	if n := h.count(`SELECT count(*) FROM messages WHERE body_state <> 0`); n != 0 {
		t.Errorf("%d messages still incomplete", n)
	}
	// Exported without any server: the original is here.
	h.dove.Stop()
	res, mbox := h.exportOf(export.MBOX, m.ConversationID, nil)
	if !bytes.Contains(mbox, big) || len(res.Incomplete) != 0 {
		t.Errorf("mbox export: holds the whole original %v, incomplete %v; want it whole and nothing named", bytes.Contains(mbox, big), res.Incomplete)
	}
	if _, eml := h.exportOf(export.EML, m.ConversationID, nil); !bytes.Equal(eml, big) {
		t.Errorf("EML export: %d bytes, want the original's %d exactly", len(eml), len(big))
	}
}

// An export of messages stored incomplete downloads them whole first; when
// the server cannot be reached it still writes, and names each message it
// holds only in part and why: never a silent loss.
func TestExportNamesIncompleteMessages(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 2, HeadersFirst: 2})
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "20000"); err != nil {
		t.Fatal(err)
	}
	big, bigData := withAttachment(3, 50000)
	h.save("INBOX", big)
	h.sync()
	m := h.messageByHeader("<inv3@example.com>")

	// Online: the export downloads it whole and holds it.
	res, mbox := h.exportOf(export.MBOX, m.ConversationID, func() *Syncer { return h.sy })
	if !bytes.Contains(mbox, big) || len(res.Incomplete) != 0 {
		t.Errorf("online export: whole original %v, incomplete %v; want it whole", bytes.Contains(mbox, big), res.Incomplete)
	}
	if a, _ := h.st.Attachment(h.ctx, m.Attachments[0].ID); !bytes.Equal(a.Data, bigData) {
		t.Errorf("the export's download did not store the attachment")
	}

	// Offline: named, with what it lacks and why.
	h2 := newHarness(t, nil)
	h2.st.SetSetting(h2.ctx, PrefetchSetting, "20000")
	big4, _ := withAttachment(4, 50000)
	h2.save("INBOX", big4)
	h2.save("INBOX", customer(1, ""))
	h2.sync()
	m4 := h2.messageByHeader("<inv4@example.com>")
	plain := h2.messageByHeader("<q1@example.com>")
	h2.dove.Stop()
	for _, f := range []export.Format{export.MBOX, export.EML, export.JSON} {
		res, _ := h2.exportOf(f, m4.ConversationID, func() *Syncer { return h2.sy })
		if strings.Join(res.Incomplete, ",") != m4.ID || len(res.Warnings) != 1 {
			t.Fatalf("%s offline: incomplete %v warnings %q, want exactly %s named", f, res.Incomplete, res.Warnings, m4.ID)
		}
		w := res.Warnings[0]
		for _, want := range []string{"Invoice 4", m4.ID, "invoice-4.pdf", "cannot be reached"} {
			if !strings.Contains(w, want) {
				t.Errorf("%s offline warning %q lacks %q", f, w, want)
			}
		}
	}
	if res, _ := h2.exportOf(export.MBOX, plain.ConversationID, func() *Syncer { return h2.sy }); len(res.Incomplete)+len(res.Warnings) != 0 {
		t.Errorf("a whole message named incomplete: %v %q", res.Incomplete, res.Warnings)
	}
}
