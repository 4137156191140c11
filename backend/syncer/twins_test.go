package syncer

import (
	"fmt"
	"strings"
	"testing"
)

// twin is a message that shares every identifying header field (Message-ID,
// Date, From, To, Subject) and its exact size with its twins; only the code
// in its body differs, as with a sender that reuses Message-IDs.
func twin(code int) []byte {
	return []byte(fmt.Sprintf("From: Codes <codes@example.com>\r\nTo: %s\r\nSubject: Your sign-in code\r\nMessage-ID: <code@example.com>\r\n"+
		"Date: Sun, 01 Mar 2026 09:00:00 +0000\r\n\r\nYour code is %06d.\r\n", user, code))
}

// twinTexts returns the bodies stored for the twins, sorted by code.
func (h *harness) twinTexts() []string {
	h.t.Helper()
	rows, err := h.st.DB().Query(`SELECT body_text FROM messages WHERE message_id = '<code@example.com>' ORDER BY body_text`)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// Two different messages whose headers and size are identical are one
// message while only their headers are here (the header pass cannot tell
// them apart); once their bodies come they must be two, each at its own
// UID, whether the bodies arrive in one batch or in two.
func TestHeaderTwinsSplitWhenBodiesDiffer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		batch  int
		filler int // messages saved between the twins
	}{
		{"same batch", 4, 0},
		{"separate batches", 2, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, &Options{BatchMessages: tc.batch, HeadersFirst: 20})
			h.save("INBOX", twin(111111))
			for i := 1; i <= tc.filler; i++ {
				h.save("INBOX", customer(i, ""))
			}
			h.save("INBOX", twin(222222))
			for i := 10; i <= 14; i++ {
				h.save("INBOX", customer(i, ""))
			}
			rep := h.sync()
			if rep.Folders[0].Listed == 0 {
				t.Fatalf("no header pass: %v", rep.Folders[0])
			}
			total := 2 + tc.filler + 5
			h.checkConsistent(map[string]int{"INBOX": total}, total)
			if got := h.twinTexts(); strings.Join(got, "|") != "Your code is 111111.|Your code is 222222." {
				t.Errorf("twins: got %q, want both codes, one message each", got)
			}
			if n := h.count(`SELECT count(DISTINCT l.seq) FROM message_locations l JOIN messages m ON m.seq = l.seq WHERE m.message_id = '<code@example.com>'`); n != 2 {
				t.Errorf("twins' UIDs point at %d messages, want 2", n)
			}
			if again := h.sync(); again.New() != 0 || again.Folders[0].Known != 0 {
				t.Errorf("resync: %v, want nothing new", again.Folders)
			}
		})
	}
}

// A twin of a message stored whole earlier, met in another folder's header
// pass, is not taken for it on its header alone: its body is downloaded,
// and it is kept as a message of its own. A true copy still folds in.
func TestHeaderTwinOfStoredMessageKept(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 2, HeadersFirst: 20})
	h.save("INBOX", twin(111111))
	for i := 1; i <= 4; i++ {
		h.save("INBOX", customer(i, ""))
	}
	h.sync()
	h.save("Archive", twin(222222))
	h.save("Archive", customer(1, "")) // a true copy of the inbox's
	for i := 20; i <= 24; i++ {
		h.save("Archive", customer(i, ""))
	}
	rep := h.sync()
	for _, f := range rep.Folders {
		if f.Folder == "Archive" && f.Listed == 0 {
			t.Fatalf("archive: %v, want a header pass", f)
		}
	}
	h.checkConsistent(map[string]int{"INBOX": 5, "Archive": 7}, 5+6)
	if got := h.twinTexts(); strings.Join(got, "|") != "Your code is 111111.|Your code is 222222." {
		t.Errorf("twins: got %q, want both codes, one message each", got)
	}
	m := h.messageByHeader("<q1@example.com>")
	if locs, _ := h.st.MessageLocations(h.ctx, m.ID); len(locs) != 2 {
		t.Errorf("true copy: %d locations, want 2 (one message in both folders)", len(locs))
	}
}

// Two header twins listed as one message in another folder, of which one
// is a copy of a message stored whole earlier: that one folds into the
// stored message, the other keeps the listed row and gets its own body.
func TestHeaderTwinsOneOfThemACopy(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 2, HeadersFirst: 20})
	h.save("INBOX", twin(111111))
	h.sync() // stored whole
	h.save("Archive", twin(222222))
	h.save("Archive", twin(111111)) // newer: its body comes first
	for i := 20; i <= 24; i++ {
		h.save("Archive", customer(i, ""))
	}
	rep := h.sync()
	for _, f := range rep.Folders {
		if f.Folder == "Archive" && f.Listed == 0 {
			t.Fatalf("archive: %v, want a header pass", f)
		}
	}
	h.checkConsistent(map[string]int{"INBOX": 1, "Archive": 7}, 2+5)
	if got := h.twinTexts(); strings.Join(got, "|") != "Your code is 111111.|Your code is 222222." {
		t.Errorf("twins: got %q, want both codes, one message each", got)
	}
	if n := h.count(`SELECT count(*) FROM message_locations l JOIN messages m ON m.seq = l.seq
		WHERE m.body_text LIKE '%111111%'`); n != 2 {
		t.Errorf("the copy: %d locations, want 2 (inbox and archive)", n)
	}
}

// bigTwin is twin with a 30,000-byte attachment, above a 20,000-byte
// download limit: both twins are stored without it.
func bigTwin(code int) []byte {
	att := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n", 400)
	return []byte(fmt.Sprintf("From: Codes <codes@example.com>\r\nTo: %s\r\nSubject: Your sign-in code\r\nMessage-ID: <code@example.com>\r\n"+
		"Date: Sun, 01 Mar 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"+
		"--b\r\nContent-Type: text/plain\r\n\r\nYour code is %06d.\r\n"+
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"code.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s--b--\r\n",
		user, code, att))
}

// Twins above the download limit are stored without their attachment
// (they share header, size and structure); their texts differ, so they are
// two messages.
func TestPartialTwinsKeptApart(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "20000"); err != nil {
		t.Fatal(err)
	}
	h.save("INBOX", bigTwin(111111))
	h.save("INBOX", bigTwin(222222))
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 2}, 2)
	if got := h.twinTexts(); strings.Join(got, "|") != "Your code is 111111.|Your code is 222222." {
		t.Errorf("twins: got %q, want both codes, one message each", got)
	}
}

// A message stored without its large attachment, met whole later in
// another folder (the limit lifted), is the same message: one message, two
// locations; a twin of it met whole is another.
func TestPartialThenWholeIsOneMessage(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "20000"); err != nil {
		t.Fatal(err)
	}
	h.save("INBOX", bigTwin(111111))
	h.sync()
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "0"); err != nil {
		t.Fatal(err)
	}
	h.save("Archive", bigTwin(111111))
	h.save("Archive", bigTwin(222222))
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 1, "Archive": 2}, 2)
	if got := h.twinTexts(); strings.Join(got, "|") != "Your code is 111111.|Your code is 222222." {
		t.Errorf("twins: got %q, want both codes, one message each", got)
	}
	if n := h.count(`SELECT count(*) FROM message_locations l JOIN messages m ON m.seq = l.seq WHERE m.body_text LIKE '%111111%'`); n != 2 {
		t.Errorf("the same message: %d locations, want 2", n)
	}
}
