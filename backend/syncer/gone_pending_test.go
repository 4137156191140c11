package syncer

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"tidings/backend/channels/email"
	"tidings/backend/export"
	"tidings/backend/workspace"
)

// otherClient signs in to the test server as a second mail program would.
func (h *harness) otherClient() *imapclient.Client {
	h.t.Helper()
	c, err := imapclient.DialInsecure(h.dove.Addr, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { c.Close() })
	if err := c.Login(user, pass).Wait(); err != nil {
		h.t.Fatal(err)
	}
	return c
}

// uidOf finds a message's UID in the selected folder by its Message-ID.
func uidOf(t *testing.T, c *imapclient.Client, messageID string) imap.UID {
	t.Helper()
	data, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: messageID}}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	uids := data.AllUIDs()
	if len(uids) != 1 {
		t.Fatalf("%s: %d UIDs on the server, want 1", messageID, len(uids))
	}
	return uids[0]
}

// A message listed from its header whose body had not come yet, then
// expunged on the server by another program, stays (never deleted) and
// says its body will not come; no sync asks the server for it again. One
// moved to another folder instead gets its body from there.
func TestPendingBodyGoneFromServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var h *harness
	h = newHarness(t, &Options{BatchMessages: 4, HeadersFirst: 10, OnChange: func(string) {
		if h.count(`SELECT count(*) FROM messages WHERE body_state = 1`) > 0 {
			cancel() // stop right after the first headers are stored
		}
	}})
	// Twelve messages: the first sync lists the newest ten from their
	// header; the next has two left to fetch, too few for a header pass.
	for i := 1; i <= 12; i++ {
		h.save("INBOX", customer(i, ""))
	}
	if _, err := h.sy.SyncAccount(ctx, h.acc); err == nil {
		t.Fatal("a cancelled sync reported success")
	}
	h.sy.opts.OnChange = nil
	var pending []string
	rows, err := h.st.DB().Query(`SELECT message_id FROM messages WHERE body_state = 1 ORDER BY message_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		pending = append(pending, id)
	}
	rows.Close()
	if len(pending) < 2 {
		t.Fatalf("%d messages listed from their header before the cancel, want at least 2", len(pending))
	}
	expunged, moved := pending[0], pending[1]
	before := map[string]string{expunged: h.messageByHeader(expunged).ID, moved: h.messageByHeader(moved).ID}

	c := h.otherClient()
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	gone := uidOf(t, c, expunged)
	if _, err := c.Move(imap.UIDSetNum(uidOf(t, c, moved)), "Archive").Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(gone), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}, Silent: true}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.UIDExpunge(imap.UIDSetNum(gone)).Close(); err != nil {
		t.Fatal(err)
	}

	var trace bytes.Buffer
	var mu sync.Mutex
	h.sy.opts.IMAP = &email.Options{Debug: lockedWriter{&trace, &mu}}
	h.sync()
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 10, "Archive": 1}, 12)

	m := h.messageByHeader(expunged)
	if m.ID != before[expunged] || !m.BodyPending || !m.BodyGone || m.Text != "" {
		t.Errorf("expunged before its body came: id %s (was %s) pending %v gone %v, want kept, pending, gone from the server",
			m.ID, before[expunged], m.BodyPending, m.BodyGone)
	}
	if v := workspace.MessageViewOf(m); !v.BodyGone {
		t.Errorf("view of it: body_gone %v, want set (the window says the body will not come)", v.BodyGone)
	}
	if g, err := h.st.MessageGone(h.ctx, m.ID); err != nil || !g {
		t.Errorf("gone from the server: got %v (%v), want true", g, err)
	}
	if strings.Contains(trace.String(), pass) {
		t.Errorf("the password reached the IMAP trace")
	}
	// An export holds its header only, and says so.
	if res, _ := h.exportOf(export.MBOX, m.ConversationID, func() *Syncer { return h.sy }); len(res.Warnings) != 1 ||
		!strings.Contains(res.Warnings[0], "without its body") || !strings.Contains(res.Warnings[0], "no longer on the server") {
		t.Errorf("export of it: warnings %q, want it named as exported without its body, gone from the server", res.Warnings)
	}
	// Sequence numbers in the trace are the other UIDs'; the gone UID must
	// never be asked for its body once it was seen gone.
	for _, line := range strings.Split(trace.String(), "\n") {
		if strings.Contains(line, "UID FETCH") && strings.Contains(line, "BODY.PEEK[]") && fetchesUID(line, uint32(gone)) {
			t.Errorf("a sync asked for the body of expunged UID %d: %s", gone, line)
		}
	}

	mv := h.messageByHeader(moved)
	if mv.ID != before[moved] || mv.BodyPending || mv.BodyGone || !strings.Contains(mv.Text, "this is question") {
		t.Errorf("moved before its body came: id %s (was %s) pending %v gone %v text %q, want the same message with its body",
			mv.ID, before[moved], mv.BodyPending, mv.BodyGone, mv.Text)
	}
	locs, _ := h.st.MessageLocations(h.ctx, mv.ID)
	var live []string
	for _, l := range locs {
		if !l.Gone {
			live = append(live, l.Folder)
		}
	}
	if strings.Join(live, ",") != "Archive" {
		t.Errorf("moved message lives in %v, want [Archive]", live)
	}
}

// fetchesUID reports whether an IMAP command line's UID set names uid.
func fetchesUID(line string, uid uint32) bool {
	i := strings.Index(line, "UID FETCH ")
	if i < 0 {
		return false
	}
	f := strings.Fields(line[i+len("UID FETCH "):])
	if len(f) == 0 {
		return false
	}
	for _, r := range strings.Split(f[0], ",") {
		lo, hi, ok := strings.Cut(r, ":")
		if !ok {
			hi = lo
		}
		a, errA := strconv.ParseUint(lo, 10, 32)
		b, errB := strconv.ParseUint(hi, 10, 32)
		if hi == "*" {
			b, errB = 1<<32-1, nil
		}
		if errA == nil && errB == nil && uint64(uid) >= min(a, b) && uint64(uid) <= max(a, b) {
			return true
		}
	}
	return false
}
