package app

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/channels/email/dovetest"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

const (
	mailUser = "owner@shop.example"
	mailPass = "s3cret-pass"
)

// mailRecorder keeps every event with its payload.
type mailRecorder struct {
	mu  sync.Mutex
	evs []mailEvent
}

type mailEvent struct {
	name string
	data []any
}

func (r *mailRecorder) Emit(name string, data ...any) {
	r.mu.Lock()
	r.evs = append(r.evs, mailEvent{name, data})
	r.mu.Unlock()
}

// changedIDs lists every conversation ID announced in inbox:changed.
func (r *mailRecorder) changedIDs() map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]bool{}
	for _, e := range r.evs {
		if e.name != EventChanged || len(e.data) == 0 {
			continue
		}
		if ids, ok := e.data[0].([]string); ok {
			for _, id := range ids {
				out[id] = true
			}
		}
	}
	return out
}

func (r *mailRecorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.evs)
}

// seen reports whether an event named name (with this state, for
// accounts:status) was sent after the first from events.
func (r *mailRecorder) seen(from int, name, state string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.evs[from:] {
		if e.name != name {
			continue
		}
		if st, ok := e.data[0].(AccountStatus); !ok || state == "" || st.State == state {
			return true
		}
	}
	return false
}

// states lists the states an account went through, in order, without repeats.
func (r *mailRecorder) states(accountID string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.evs {
		if e.name != EventAccountStatus {
			continue
		}
		st := e.data[0].(AccountStatus)
		if st.AccountID == accountID && (len(out) == 0 || out[len(out)-1] != st.State) {
			out = append(out, st.State)
		}
	}
	return out
}

type mailHarness struct {
	t    *testing.T
	ctx  context.Context
	dove *dovetest.Server
	ws   *workspace.Workspace
	sec  *secrets.Store
	acc  inbox.Account
	rec  *mailRecorder
	mail *Mail
}

func newMailHarness(t *testing.T, password string) *mailHarness {
	t.Helper()
	return newMailHarnessOn(t, password, dovetest.Options{Users: map[string]string{mailUser: mailPass}})
}

// newMailHarnessOn is newMailHarness on a Dovecot configured by o.
func newMailHarnessOn(t *testing.T, password string, o dovetest.Options) *mailHarness {
	t.Helper()
	h := &mailHarness{t: t, ctx: context.Background(), rec: &mailRecorder{}}
	h.dove = dovetest.StartWith(t, o)
	ws, err := workspace.Open(h.ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	h.ws = ws
	host, port, _ := net.SplitHostPort(h.dove.Addr)
	pn, _ := strconv.Atoi(port)
	cfg := email.Config{Address: mailUser, IMAPHost: host, IMAPPort: pn, IMAPSecurity: email.None, SMTPHost: host, SMTPPort: 1, SMTPSecurity: email.None}
	h.acc = inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: mailUser, Config: cfg.JSON()}
	if err := ws.Store.CreateAccount(h.ctx, &h.acc); err != nil {
		t.Fatal(err)
	}
	h.sec = secrets.Open(ws.Dir, &secrets.Options{NoKeyring: true})
	if err := h.sec.Set(secrets.PasswordKey(h.acc.ID), password); err != nil {
		t.Fatal(err)
	}
	h.mail = NewMail(ws, h.rec, h.sec, &MailOptions{
		MinBackoff: 150 * time.Millisecond, MaxBackoff: 600 * time.Millisecond,
		Syncer: syncerOptions(),
	})
	return h
}

func (h *mailHarness) start() {
	ctx, cancel := context.WithCancel(h.ctx)
	h.mail.Startup(ctx)
	h.t.Cleanup(func() { cancel(); h.mail.Shutdown() })
}

// eventually polls cond until it holds or 10 s pass.
func (h *mailHarness) eventually(what string, cond func() bool) {
	h.t.Helper()
	h.within(10*time.Second, what, cond)
}

func (h *mailHarness) within(d time.Duration, what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: not within %s; status %+v; states %v", what, d, h.mail.Status(), h.rec.states(h.acc.ID))
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func (h *mailHarness) state() AccountStatus {
	for _, s := range h.mail.Status() {
		if s.AccountID == h.acc.ID {
			return s
		}
	}
	return AccountStatus{}
}

func mailFrom(i int) []byte {
	return []byte(fmt.Sprintf("From: Customer %d <c%d@example.com>\r\nTo: %s\r\nSubject: Order %d\r\nMessage-ID: <order%d@example.com>\r\nDate: %s\r\n\r\nWhere is order %d?\r\n",
		i, i, mailUser, i, i, time.Now().Add(time.Duration(i)*time.Second).Format(time.RFC1123Z), i))
}

// conversationWith finds the conversation holding a Message-ID.
func (h *mailHarness) conversationWith(msgID string) string {
	var id string
	h.ws.Store.DB().QueryRowContext(h.ctx, `SELECT conversation_id FROM messages WHERE message_id IN (?, ?)`, msgID, "<"+msgID+">").Scan(&id)
	return id
}

func TestMailSyncsAndAnnouncesNewMail(t *testing.T) {
	h := newMailHarness(t, mailPass)
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(1)); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
	st := h.state()
	if st.Total != 1 || st.Done != 1 || st.LastSyncAt == "" || st.Error != "" {
		t.Errorf("status after first sync = %+v, want done 1 of 1, a last sync time, no error", st)
	}
	first := h.conversationWith("order1@example.com")
	if first == "" {
		t.Fatal("the message on the server before start is not in the store")
	}

	// New mail while idling: IDLE reports it, the conversation appears and
	// is announced.
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(2)); err != nil {
		t.Fatal(err)
	}
	var second string
	h.eventually("new mail stored", func() bool { second = h.conversationWith("order2@example.com"); return second != "" })
	h.eventually("new conversation announced", func() bool { return h.rec.changedIDs()[second] })
	h.eventually("idle again", func() bool { s := h.state(); return s.State == MailIdle && s.Done == 2 && s.Total == 2 })

	// SyncNow syncs at once (the IDLE is interrupted) and stays healthy.
	// With nothing new it announces nothing (no needless reload).
	before := h.mail.attempts(h.acc.ID)
	mark := h.rec.len()
	if err := h.mail.SyncNow(h.acc.ID); err != nil {
		t.Fatal(err)
	}
	h.eventually("sync now ran", func() bool { return h.rec.seen(mark, EventAccountStatus, MailSyncing) && h.state().State == MailIdle })
	if got := h.mail.attempts(h.acc.ID); got != before {
		t.Errorf("connections after SyncNow = %d, want %d (same session)", got, before)
	}
	if h.rec.seen(mark, EventChanged, "") {
		t.Error("a sync with nothing new sent inbox:changed")
	}
	if err := h.mail.SyncNow("nope"); err == nil {
		t.Error("SyncNow of an unknown account: got nil error")
	}
}

func TestMailWrongPasswordStopsAndSaysSo(t *testing.T) {
	h := newMailHarness(t, "not-the-password")
	h.start()
	h.eventually("error state", func() bool { return h.state().State == MailError })
	st := h.state()
	if !strings.Contains(st.Error, "wrong password") || st.Hint == "" || st.Retrying {
		t.Errorf("status = %+v, want an error saying wrong password, a hint, not retrying", st)
	}
	// No retry storm: many backoff periods later, still one attempt.
	time.Sleep(1500 * time.Millisecond)
	if got := h.mail.attempts(h.acc.ID); got != 1 {
		t.Errorf("sign-in attempts with a wrong password = %d, want 1 (no retries until Retry)", got)
	}
	a, err := h.ws.Store.Account(h.ctx, h.acc.ID)
	if err != nil || !strings.Contains(a.LastError, "wrong password") {
		t.Errorf("account last error = %q (%v), want it mailEvent", a.LastError, err)
	}
	// The owner fixes the password and presses Retry.
	if err := h.sec.Set(secrets.PasswordKey(h.acc.ID), mailPass); err != nil {
		t.Fatal(err)
	}
	if err := h.mail.Retry(h.acc.ID); err != nil {
		t.Fatal(err)
	}
	h.eventually("idle after retry", func() bool { return h.state().State == MailIdle })
	if st := h.state(); st.Error != "" {
		t.Errorf("error after a good retry = %q, want none", st.Error)
	}
}

func TestMailOfflineThenRecovers(t *testing.T) {
	h := newMailHarness(t, mailPass)
	h.start()
	h.eventually("idle", func() bool { return h.state().State == MailIdle })

	h.dove.Stop()
	// Dovecot's imap processes outlive its master by about 10 s, keeping
	// the IDLE connection open until then: a generous deadline.
	h.within(25*time.Second, "offline", func() bool { return h.state().State == MailOffline })
	st := h.state()
	if !st.Retrying || !strings.Contains(st.Hint, "retrying") {
		t.Errorf("offline status = %+v, want retrying with a hint", st)
	}
	// Local work goes on while offline.
	if _, err := h.ws.Overview(h.ctx); err != nil {
		t.Errorf("overview while offline: %v", err)
	}

	// Mail that arrives while we are away is caught up after the restart.
	restartDovecot(t, h.dove)
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(3)); err != nil {
		t.Fatal(err)
	}
	h.eventually("idle after restart", func() bool { return h.state().State == MailIdle })
	h.eventually("mail from downtime stored", func() bool { return h.conversationWith("order3@example.com") != "" })
	states := h.rec.states(h.acc.ID)
	if !containsInOrder(states, MailIdle, MailOffline, MailIdle) {
		t.Errorf("states = %v, want idle, offline, idle in order", states)
	}
}

func TestMailSkipsDemoAndBrokenAccounts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	demoAcc := inbox.Account{Channel: inbox.ChannelEmail, Name: "Demo", Config: []byte(`{"demo":true}`)}
	broken := inbox.Account{Channel: inbox.ChannelEmail, Name: "Broken", Config: []byte(`{}`)}
	for _, a := range []*inbox.Account{&demoAcc, &broken} {
		if err := ws.Store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	m := NewMail(ws, &mailRecorder{}, secrets.Open(ws.Dir, &secrets.Options{NoKeyring: true}), &MailOptions{MinBackoff: 50 * time.Millisecond})
	m.Startup(ctx)
	defer m.Shutdown()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := m.Status()
		if len(st) == 1 && st[0].State == MailError {
			if st[0].Name != "Broken" || st[0].Retrying || !strings.Contains(st[0].Error, "no IMAP server") {
				t.Errorf("status = %+v, want Broken stopped with no IMAP server", st[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status = %+v, want one stopped account", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := m.SyncNow(demoAcc.ID); err == nil {
		t.Error("SyncNow on a demo account: got nil error")
	}
}

func containsInOrder(got []string, want ...string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// restartDovecot starts the stopped server again on its configuration (same
// port, same mail) and stops it at cleanup.
func restartDovecot(t *testing.T, s *dovetest.Server) {
	t.Helper()
	cmd := exec.Command("dovecot", "-F", "-c", filepath.Join(s.Dir, "dovecot.conf"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot did not listen again on %s: %v", s.Addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncerOptions keeps the tests light on the shared CPUs.
func syncerOptions() syncer.Options { return syncer.Options{Parsers: 1} }

func TestMailReportsProgressOnLongWork(t *testing.T) {
	h := newMailHarness(t, mailPass)
	o := syncerOptions()
	o.BatchMessages = 10
	h.mail = NewMail(h.ws, h.rec, h.sec, &MailOptions{MinBackoff: 150 * time.Millisecond, Syncer: o})
	for i := 1; i <= 30; i++ {
		if err := h.dove.Save(mailUser, "INBOX", mailFrom(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	h.start()
	h.eventually("first sync idle", func() bool { s := h.state(); return s.State == MailIdle && s.Done == 30 })
	// The status bar saw the work advance batch by batch, never past the total.
	var seen []int
	h.rec.mu.Lock()
	for _, e := range h.rec.evs {
		if st, ok := e.data[0].(AccountStatus); ok && st.State == MailSyncing && st.Total == 30 {
			if len(seen) == 0 || seen[len(seen)-1] != st.Done {
				seen = append(seen, st.Done)
			}
		}
	}
	h.rec.mu.Unlock()
	if len(seen) < 3 || seen[0] != 0 {
		t.Errorf("progress while syncing = %v of 30, want it to start at 0 and advance in several steps", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] || seen[i] > 30 {
			t.Errorf("progress = %v, want it to grow up to 30", seen)
			break
		}
	}
}

func TestMailRetryUsesNewSettings(t *testing.T) {
	h := newMailHarness(t, mailPass)
	good := h.acc.Config
	cfg, _ := email.ParseConfig(good)
	cfg.IMAPPort = closedPort(t)
	if err := h.ws.Store.UpdateAccountConfig(h.ctx, h.acc.ID, h.acc.Address, cfg.JSON()); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("offline on a closed port", func() bool { return h.state().State == MailOffline })
	if err := h.ws.Store.UpdateAccountConfig(h.ctx, h.acc.ID, h.acc.Address, good); err != nil {
		t.Fatal(err)
	}
	if err := h.mail.Retry(h.acc.ID); err != nil {
		t.Fatal(err)
	}
	h.eventually("idle with the corrected port", func() bool { return h.state().State == MailIdle })
}

// closedPort returns a loopback port nobody listens on.
func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// A message read in Tidings is marked \Seen on the server within seconds,
// with no new mail to prompt a sync (the loop would otherwise wait for the
// next poll, minutes away).
func TestMailSendsLocalReadStateAtOnce(t *testing.T) {
	h := newMailHarness(t, mailPass)
	h.mail.opts.FlagWatch = 100 * time.Millisecond
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(1)); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
	conv := h.conversationWith("order1@example.com")
	seen := func() bool {
		out, err := h.dove.Doveadm(nil, "fetch", "-u", mailUser, "flags", "mailbox", "INBOX", "all")
		if err != nil {
			t.Fatalf("doveadm fetch: %v", err)
		}
		return strings.Contains(string(out), `\Seen`)
	}
	if seen() {
		t.Fatal(`the message is \Seen on the server before it was read`)
	}
	if err := h.ws.Store.MarkRead(h.ctx, conv, true); err != nil {
		t.Fatal(err)
	}
	h.within(5*time.Second, `read in Tidings, \Seen on the server`, seen)
	if err := h.ws.Store.MarkRead(h.ctx, conv, false); err != nil {
		t.Fatal(err)
	}
	h.within(5*time.Second, `unread in Tidings, not \Seen on the server`, func() bool { return !seen() })
}
