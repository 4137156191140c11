package syncer

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

const (
	user = "owner@shop.example"
	pass = "s3cret-pass"
)

type harness struct {
	t    *testing.T
	ctx  context.Context
	dove *dovetest.Server
	smtp *dovetest.SMTPServer
	st   *store.Store
	acc  inbox.Account
	sy   *Syncer
	path string
}

func newHarness(t *testing.T, opts *Options) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background()}
	h.dove = dovetest.Start(t, map[string]string{user: pass})
	h.smtp = dovetest.StartSMTP(t, user, pass)
	h.path = filepath.Join(t.TempDir(), "tidings.db")
	st, err := store.Open(h.ctx, h.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.st = st
	ih, ip, _ := net.SplitHostPort(h.dove.Addr)
	sh, sp, _ := net.SplitHostPort(h.smtp.Addr)
	ipn, _ := strconv.Atoi(ip)
	spn, _ := strconv.Atoi(sp)
	cfg := email.Config{Address: user, IMAPHost: ih, IMAPPort: ipn, IMAPSecurity: email.None, SMTPHost: sh, SMTPPort: spn, SMTPSecurity: email.None}
	h.acc = inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: user, Config: cfg.JSON()}
	if err := st.CreateAccount(h.ctx, &h.acc); err != nil {
		t.Fatal(err)
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	o.Auth = func(context.Context, inbox.Account, email.Config) (email.Auth, error) {
		return email.Auth{Password: pass}, nil
	}
	h.sy = New(st, &o)
	return h
}

// customer returns a customer's message number i.
func customer(i int, extra string) []byte {
	return []byte(fmt.Sprintf("From: Customer %d <c%d@example.com>\r\nTo: %s\r\nSubject: Question %d\r\nMessage-ID: <q%d@example.com>\r\n%sDate: %s\r\n\r\nHello, this is question %d.\r\n",
		i, i%7, user, i, i, extra, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), i))
}

func (h *harness) save(folder string, raw []byte) {
	h.t.Helper()
	if err := h.dove.Save(user, folder, raw); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) sync() Report {
	h.t.Helper()
	rep, err := h.sy.SyncAccount(h.ctx, h.acc)
	if err != nil {
		h.t.Fatalf("sync: %v\n%s", err, lastLog(h.dove.Log()))
	}
	// A sync that succeeded leaves no message listed from its header alone
	// while the server still has it.
	if n := h.count(`SELECT count(*) FROM messages m WHERE m.body_state = 1 AND EXISTS
		(SELECT 1 FROM message_locations l WHERE l.seq = m.seq AND l.gone_at = 0)`); n != 0 {
		h.t.Errorf("after a successful sync %d messages still lack their body", n)
	}
	return rep
}

func lastLog(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "\n")
}

func (h *harness) count(q string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.st.DB().QueryRowContext(h.ctx, q, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) messages() int { return h.count(`SELECT count(*) FROM messages`) }

func (h *harness) messageByHeader(id string) inbox.Message {
	h.t.Helper()
	ids, err := h.st.MessageIDsByHeader(h.ctx, h.acc.ID, id)
	if err != nil || len(ids) != 1 {
		h.t.Fatalf("message %s: got %v %v, want exactly one", id, ids, err)
	}
	m, err := h.st.Message(h.ctx, ids[0])
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// serverFlags returns a message's flags in a folder, read with doveadm.
func (h *harness) serverFlags(folder, messageID string) string {
	h.t.Helper()
	out, err := h.dove.Doveadm(nil, "fetch", "-u", user, "flags", "mailbox", folder, "header", "Message-ID", strings.Trim(messageID, "<>"))
	if err != nil {
		h.t.Fatal(err)
	}
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "flags:"))
}

func (f FolderReport) String() string {
	return fmt.Sprintf("%s new=%d known=%d gone=%d in=%d out=%d", f.Folder, f.New, f.Known, f.Gone, f.FlagsIn, f.FlagsOut)
}
