package syncer

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// TestMain doubles as the helper process the SIGKILL test kills.
func TestMain(m *testing.M) {
	if os.Getenv("TIDINGS_SYNC_HELPER") == "1" {
		os.Exit(syncHelper())
	}
	os.Exit(m.Run())
}

// syncHelper syncs the account named in the environment once.
func syncHelper() int {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("TIDINGS_STORE"), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	a, err := st.AccountByName(ctx, "Shop")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	batch, _ := strconv.Atoi(os.Getenv("TIDINGS_BATCH"))
	sy := New(st, &Options{BatchMessages: batch, Auth: func(context.Context, inbox.Account, email.Config) (email.Auth, error) {
		return email.Auth{Password: pass}, nil
	}})
	if _, err := sy.SyncAccount(ctx, a); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// corpus returns n distinct customer messages; every tenth replies to an
// earlier one, so threading runs across batches too.
func corpus(n, offset int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		k := i + offset
		extra := ""
		if k%10 == 9 {
			extra = fmt.Sprintf("In-Reply-To: <q%d@example.com>\r\nReferences: <q%d@example.com>\r\n", k-5, k-5)
		}
		out[i] = customer(k, extra)
	}
	return out
}

// checkConsistent verifies what a finished sync must leave: every server
// message stored once, complete, indexed, located, in a conversation whose
// counters are right.
func (h *harness) checkConsistent(folders map[string]int, unique int) {
	h.t.Helper()
	if n := h.messages(); n != unique {
		h.t.Errorf("messages: got %d, want %d", n, unique)
	}
	if n := h.count(`SELECT count(*) FROM (SELECT content_hash FROM messages WHERE body_state <> 1 GROUP BY content_hash HAVING count(*) > 1)`); n != 0 {
		h.t.Errorf("%d messages stored twice", n)
	}
	if n := h.count(`SELECT count(*) FROM (SELECT header_hash FROM messages WHERE header_hash <> ''
		GROUP BY header_hash HAVING count(*) > 1 AND max(body_state = 1))`); n != 0 {
		h.t.Errorf("%d messages listed from their header stored twice", n)
	}
	if n := h.count(`SELECT count(*) FROM message_fts`); n != unique {
		h.t.Errorf("index rows: got %d, want %d", n, unique)
	}
	// Messages listed from their header alone (mid-sync) have no original
	// yet; every other one has.
	if n := h.count(`SELECT count(*) FROM messages m WHERE body_state <> 1 AND NOT EXISTS (SELECT 1 FROM message_raw r WHERE r.seq = m.seq)`); n != 0 {
		h.t.Errorf("%d messages without their original bytes", n)
	}
	if n := h.count(`SELECT count(*) FROM conversations c WHERE message_count = 0 OR message_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)`); n != 0 {
		h.t.Errorf("%d conversations with wrong or zero counts", n)
	}
	for f, want := range folders {
		if n := h.count(`SELECT count(*) FROM message_locations WHERE folder = ? AND gone_at = 0`, f); n != want {
			h.t.Errorf("live locations in %s: got %d, want %d", f, n, want)
		}
	}
}

// TestSIGKILLAnywhere kills a syncing process at random points many times,
// then lets a sync finish: nothing lost, nothing twice.
func TestSIGKILLAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	h := newHarness(t, nil)
	inboxMsgs := corpus(400, 0)
	if err := h.dove.Deliver(user, "INBOX", inboxMsgs); err != nil {
		t.Fatal(err)
	}
	if err := h.dove.Deliver(user, "Archive", inboxMsgs[:40]); err != nil { // filed twice
		t.Fatal(err)
	}
	if err := h.dove.Deliver(user, "Sent", corpus(30, 1000)); err != nil {
		t.Fatal(err)
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	// Every round brings new mail, so a round always has work to be killed
	// in: on a fast, quiet machine the first run would otherwise store
	// everything before any kill and the later runs would find nothing to do.
	const rounds, perRound = 12, 40
	kills := 0
	for round := 0; round < rounds; round++ {
		if round > 0 {
			if err := h.dove.Deliver(user, "INBOX", corpus(perRound, 2000+round*perRound)); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "TIDINGS_SYNC_HELPER=1", "TIDINGS_STORE="+h.path, "TIDINGS_BATCH=15")
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(time.Duration(5+rng.Intn(150)) * time.Millisecond):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
		}
	}
	t.Logf("killed %d of %d runs; %d messages stored before the last sync", kills, rounds, h.messages())
	h.sync()
	extra := (rounds - 1) * perRound
	h.checkConsistent(map[string]int{"INBOX": 400 + extra, "Archive": 40, "Sent": 30}, 430+extra)
	if kills == 0 {
		t.Errorf("no run was killed mid-sync: the test proved nothing")
	}
}

// proxy sits between the syncer and Dovecot and can cut or stall the
// server's stream after a number of bytes.
type proxy struct {
	l        net.Listener
	upstream string
	mode     atomic.Value // "pass", "cut", "stall"
	after    atomic.Int64
	mu       sync.Mutex
	conns    []net.Conn
}

func startProxy(t *testing.T, upstream string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, upstream: upstream}
	p.mode.Store("pass")
	t.Cleanup(func() { l.Close(); p.closeAll() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *proxy) set(mode string, after int64) { p.mode.Store(mode); p.after.Store(after) }

func (p *proxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func (p *proxy) serve(c net.Conn) {
	u, err := net.Dial("tcp", p.upstream)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, u)
	p.mu.Unlock()
	go io.Copy(u, c)
	mode, after := p.mode.Load().(string), p.after.Load()
	var sent int64
	buf := make([]byte, 16<<10)
	for {
		n, err := u.Read(buf)
		if n > 0 {
			if mode != "pass" && sent+int64(n) > after {
				k := after - sent
				c.Write(buf[:k])
				if mode == "cut" {
					c.Close()
					u.Close()
					return
				}
				select {} // stall: hold the connection open, silent
			}
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
			sent += int64(n)
		}
		if err != nil {
			c.Close()
			return
		}
	}
}

// TestProxyCutsAndStalls cuts and stalls the connection in the middle of a
// FETCH: each sync fails cleanly, nothing is stored half, and a sync over a
// healthy connection completes.
func TestProxyCutsAndStalls(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 25, IMAP: &email.Options{ReadTimeout: time.Second}})
	msgs := corpus(300, 0)
	pad := strings.Repeat("All work and no play makes a long message body.\r\n", 60) // about 3 KB
	for i := range msgs {
		msgs[i] = append(msgs[i], pad...)
	}
	if err := h.dove.Deliver(user, "INBOX", msgs); err != nil {
		t.Fatal(err)
	}
	px := startProxy(t, h.dove.Addr)
	cfg, _ := email.ParseConfig(h.acc.Config)
	_, port, _ := net.SplitHostPort(px.l.Addr().String())
	cfg.IMAPPort, _ = strconv.Atoi(port)
	h.acc.Config = cfg.JSON()
	for i, step := range []struct {
		mode  string
		after int64
	}{{"cut", 150 << 10}, {"stall", 120 << 10}, {"cut", 80 << 10}} {
		px.set(step.mode, step.after)
		start := time.Now()
		_, err := h.sy.SyncAccount(h.ctx, h.acc)
		if err == nil {
			t.Fatalf("step %d (%s): sync succeeded through a broken connection", i, step.mode)
		}
		if !email.IsTemporary(err) {
			t.Errorf("step %d (%s): error %v is not temporary", i, step.mode, err)
		}
		if time.Since(start) > 20*time.Second {
			t.Errorf("step %d (%s): took %v to notice", i, step.mode, time.Since(start))
		}
		stored := h.messages()
		if !strings.Contains(err.Error(), "UID FETCH") {
			t.Errorf("step %d: failed in %v, want in the middle of a FETCH", i, err)
		}
		h.checkConsistent(map[string]int{"INBOX": stored}, stored)
		t.Logf("%s after %d KiB: %v; %d stored", step.mode, step.after>>10, err, stored)
	}
	px.set("pass", 0)
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 300}, 300)
}

// TestChangesDuringSync: another client appends, flags and expunges while a
// sync runs; the next sync matches the server exactly.
func TestChangesDuringSync(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 10})
	if err := h.dove.Deliver(user, "INBOX", corpus(200, 0)); err != nil {
		t.Fatal(err)
	}
	h.sync() // first pass, so there is something to flag and expunge
	if err := h.dove.Deliver(user, "INBOX", corpus(100, 200)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 5; i++ {
			h.dove.Save(user, "INBOX", customer(500+i, ""))
			h.dove.Flags(user, `\Flagged`, "mailbox", "INBOX", "uid", strconv.Itoa(10+i))
			h.dove.Expunge(user, "mailbox", "INBOX", "uid", strconv.Itoa(100+i))
		}
	}()
	_, err := h.sy.SyncAccount(h.ctx, h.acc)
	wg.Wait()
	if err != nil {
		t.Fatalf("sync during changes: %v", err)
	}
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 300}, 305)
	if n := h.count(`SELECT count(*) FROM messages WHERE flagged = 1`); n != 5 {
		t.Errorf("flagged: got %d, want 5", n)
	}
	out, err := h.dove.Doveadm(nil, "search", "-u", user, "mailbox", "INBOX", "ALL")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "\n"); n != 300 {
		t.Errorf("server has %d messages, want 300", n)
	}
	if n := h.count(`SELECT count(*) FROM message_locations WHERE gone_at <> 0`); n != 5 {
		t.Errorf("gone: got %d, want 5", n)
	}
}

// TestRefusedMessageIsSkipped: a message the server cannot read (its file
// is unreadable) fails alone; the rest of its batch is stored, and it is
// fetched once the server can read it again.
func TestRefusedMessageIsSkipped(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 10})
	readable := h.deliverUnreadable(30, 12)
	// Dovecot drops the connection on the unreadable message: the first
	// syncs fail, each narrowing it down (sizes, then the batch, then the
	// message alone, twice), and then the sync completes without it.
	var err error
	runs := 0
	for runs = 1; runs <= 6; runs++ {
		if _, err = h.sy.SyncAccount(h.ctx, h.acc); err == nil {
			break
		}
		t.Logf("run %d: %v", runs, err)
	}
	if err != nil {
		t.Fatalf("no sync completed around an unreadable message: %v", err)
	}
	if n := h.messages(); n != 29 {
		t.Errorf("stored %d, want 29 (all but the unreadable one)", n)
	}
	// Readable again (Dovecot may have moved it to cur/): a day later it is
	// fetched.
	readable()
	h.sync()
	h.checkConsistent(map[string]int{"INBOX": 30}, 30)
}
