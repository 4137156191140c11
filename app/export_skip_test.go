package app

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// skipper is the window: when an export says it is downloading, the owner
// presses "Skip downloads".
type skipper struct {
	x      *Archive
	once   sync.Once
	mu     sync.Mutex
	phases []string
}

func (s *skipper) Emit(name string, data ...any) {
	if name != EventExportProgress || len(data) != 1 {
		return
	}
	p, ok := data[0].(Progress)
	if !ok {
		return
	}
	s.mu.Lock()
	s.phases = append(s.phases, p.Phase)
	s.mu.Unlock()
	if p.Phase == "download" {
		s.once.Do(func() {
			s.x.SkipDownloads()
			time.Sleep(100 * time.Millisecond) // the export notices
		})
	}
}

// An export of mail stored incomplete says it is downloading it first, and
// Skip downloads lets it go on at once: the file is written, the messages
// not downloaded are named as skipped.
func TestArchiveExportSkipDownloads(t *testing.T) {
	h := newMailHarness(t, mailPass)
	if err := h.ws.Store.SetSetting(h.ctx, syncer.PrefetchSetting, "10000"); err != nil {
		t.Fatal(err)
	}
	data := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("%PDF scan \x00\x01\xfe"), 3000))
	for i := 1; i <= 3; i++ {
		raw := fmt.Sprintf("From: Ann <ann%d@example.com>\r\nTo: %s\r\nSubject: Scan %d\r\nMessage-ID: <scan%d@example.com>\r\nDate: Mon, 2 Mar 2026 10:0%d:00 +0000\r\n"+
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nScan attached.\r\n"+
			"--b\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n", i, mailUser, i, i, i, data)
		if err := h.dove.Save(mailUser, "INBOX", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })

	s := &skipper{}
	s.x = NewArchive(New(h.ws, s), &fakeShell{})
	out := filepath.Join(t.TempDir(), "scans.mbox")
	res, err := s.x.Export(ExportRequest{Format: "mbox", Out: out, Selection: workspace.Selection{}})
	if err != nil {
		t.Fatalf("export after skipping: %v", err)
	}
	if res.Messages != 3 || mboxMessages(t, out) != 3 {
		t.Errorf("exported %d messages (%d in the file), want 3", res.Messages, mboxMessages(t, out))
	}
	if len(res.Warnings) == 0 {
		t.Fatal("no message named as exported without its download")
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w, "you skipped the download") {
			t.Errorf("warning %q does not say the download was skipped", w)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.phases) == 0 || s.phases[0] != "download" || s.phases[len(s.phases)-1] != "" {
		t.Errorf("progress phases %q, want downloads first, then the export's own", s.phases)
	}
	// A second press with no export running does nothing.
	s.x.SkipDownloads()
}
