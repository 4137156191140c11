// Package dovetest starts a real Dovecot IMAP server on a free loopback port
// for tests: plaintext (ssl = no), Maildir storage in a temporary directory,
// users from a passwd-file, Sent and Archive folders with SPECIAL-USE
// (RFC 6154). Under CI=true a missing Dovecot fails the test; elsewhere the
// test is skipped with what to install.
package dovetest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running Dovecot.
type Server struct {
	// Dir holds the configuration, the mail and the logs.
	Dir string
	// Addr is HOST:PORT of the IMAP listener.
	Addr string
	// TLSAddr is HOST:PORT of the imaps listener (with Options.TLS).
	TLSAddr string
	conf    string
	cmd     *exec.Cmd
	mu      sync.Mutex
	done    chan struct{}
}

// Available reports whether Dovecot is installed.
func Available() bool {
	_, err1 := exec.LookPath("dovecot")
	_, err2 := exec.LookPath("doveadm")
	return err1 == nil && err2 == nil
}

// Require skips the test when Dovecot is missing, or fails it under CI=true.
func Require(tb testing.TB) {
	tb.Helper()
	if Available() {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("dovetest: dovecot is not installed (apt-get install dovecot-imapd); CI=true needs it")
	}
	tb.Skip("dovetest: dovecot is not installed (apt-get install dovecot-imapd): skipping")
}

// Start runs a Dovecot for the test and stops it at cleanup. users maps
// login names to passwords.
func Start(tb testing.TB, users map[string]string) *Server {
	return StartWith(tb, Options{Users: users})
}

// Options configure StartWith.
type Options struct {
	// Users maps login names to passwords.
	Users map[string]string
	// IntrospectURL, when set, also signs users in with OAuth2 bearer
	// tokens (XOAUTH2, OAUTHBEARER) that Dovecot checks at this RFC 7662
	// introspection endpoint.
	IntrospectURL string
	// NoIdle hides IDLE (RFC 2177) from the capabilities Dovecot announces
	// (imap_capability), for the clients' polling fallback.
	NoIdle bool
	// TLS, when set, turns on Dovecot's TLS with this certificate: STARTTLS
	// on Addr and implicit TLS (imaps) on TLSAddr.
	TLS *Cert
}

// noIdleCapability is Dovecot 2.3's capability list after login, without
// IDLE.
const noIdleCapability = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT " +
	"MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT " +
	"SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"

// StartWith runs a Dovecot configured by o until cleanup.
func StartWith(tb testing.TB, o Options) *Server {
	tb.Helper()
	Require(tb)
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		s, err := startOpts(tb.TempDir(), o)
		if err == nil {
			tb.Cleanup(s.Stop)
			return s
		}
		lastErr = err
	}
	tb.Fatalf("dovetest: %v", lastErr)
	return nil
}

// StartDir runs a Dovecot in dir (outside tests: the benchmark). The caller
// stops it with Stop.
func StartDir(dir string, users map[string]string) (*Server, error) {
	if !Available() {
		return nil, fmt.Errorf("dovetest: dovecot is not installed (apt-get install dovecot-imapd)")
	}
	return StartDirWith(dir, Options{Users: users})
}

// StartDirWith is StartDir configured by o (outside tests: mailtestd's
// OAuth2 sign-in).
func StartDirWith(dir string, o Options) (*Server, error) {
	if !Available() {
		return nil, fmt.Errorf("dovetest: dovecot is not installed (apt-get install dovecot-imapd)")
	}
	return startOpts(dir, o)
}

// startOpts writes the configuration and waits for the listener.
func startOpts(dir string, o Options) (*Server, error) {
	users := o.Users
	// Dovecot drops to uid mail: it must reach the directory.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	for p := filepath.Dir(dir); p != "/" && p != "."; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			os.Chmod(p, fi.Mode().Perm()|0o011)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), conf: filepath.Join(dir, "dovecot.conf"), done: make(chan struct{})}
	for _, d := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	var pw strings.Builder
	for u, p := range users {
		fmt.Fprintf(&pw, "%s:{PLAIN}%s\n", u, p)
	}
	if err := os.WriteFile(filepath.Join(dir, "users"), []byte(pw.String()), 0o644); err != nil {
		return nil, err
	}
	conf := config(dir, port)
	if o.IntrospectURL != "" {
		oauth := "introspection_mode = post\nintrospection_url = " + o.IntrospectURL + "\nusername_attribute = username\nactive_attribute = active\nactive_value = true\nforce_introspection = yes\n"
		if err := os.WriteFile(filepath.Join(dir, "oauth2.conf"), []byte(oauth), 0o644); err != nil {
			return nil, err
		}
		conf = strings.Replace(conf, "auth_mechanisms = plain login", "auth_mechanisms = plain login xoauth2 oauthbearer", 1)
		conf = strings.Replace(conf, "passdb {\n  driver = passwd-file", "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = "+filepath.Join(dir, "oauth2.conf")+"\n}\npassdb {\n  driver = passwd-file\n  mechanisms = plain login", 1)
	}
	if o.NoIdle {
		conf += "imap_capability = " + noIdleCapability + "\n"
	}
	if o.TLS != nil {
		if conf, err = withTLS(s, conf, *o.TLS); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(s.conf, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	if err := chownMail(filepath.Join(dir, "mail")); err != nil {
		return nil, err
	}
	s.cmd = exec.Command("dovecot", "-F", "-c", s.conf)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	dieWithParent(s.cmd)
	// The parent-death signal follows the thread that started Dovecot, not
	// the process: a thread the Go runtime ends (a goroutine that exits
	// pinned to it, as the syncer's parse workers do) would take Dovecot
	// with it. Start and wait on a thread kept for as long as Dovecot runs.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.cmd.Wait()
		close(s.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start dovecot: %w", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			return nil, fmt.Errorf("dovecot exited at start: %s", lastLines(log, 5))
		default:
		}
		c, err := net.DialTimeout("tcp", s.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("dovecot did not listen on %s within 15 s", s.Addr)
}

func config(dir string, port int) string {
	return strings.NewReplacer("DIR", dir, "PORT", strconv.Itoa(port)).Replace(`base_dir = DIR/run
state_dir = DIR/state
log_path = DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:DIR/mail/%u/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u DIR/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service anvil {
  chroot =
}
protocol imap {
  mail_max_userip_connections = 100
}
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
}
`)
}

// Stop ends Dovecot.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// Doveadm runs a doveadm command against this server.
func (s *Server) Doveadm(stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command("doveadm", append([]string{"-c", s.conf}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("doveadm %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return out, nil
}

// Save delivers one message into a user's folder ("INBOX", "Sent", ...).
func (s *Server) Save(user, folder string, raw []byte) error {
	_, err := s.Doveadm(raw, "save", "-u", user, "-m", folder)
	return err
}

// Expunge removes messages matching a doveadm search query, as another
// client would ("mailbox INBOX uid 3").
func (s *Server) Expunge(user string, query ...string) error {
	_, err := s.Doveadm(nil, append([]string{"expunge", "-u", user}, query...)...)
	return err
}

// Flags adds flags to messages matching a query.
func (s *Server) Flags(user, flags string, query ...string) error {
	_, err := s.Doveadm(nil, append([]string{"flags", "add", "-u", user, flags}, query...)...)
	return err
}

// Maildir returns the Maildir directory of a user's folder.
func (s *Server) Maildir(user, folder string) string {
	base := filepath.Join(s.Dir, "mail", user, "Maildir")
	if strings.EqualFold(folder, "INBOX") {
		return base
	}
	return filepath.Join(base, "."+folder)
}

// ResetUIDValidity deletes a folder's dovecot-uidlist, so Dovecot gives the
// folder a new UIDVALIDITY and renumbers every message, as happens after a
// server restore or migration.
func (s *Server) ResetUIDValidity(user, folder string) error {
	dir := s.Maildir(user, folder)
	if err := os.Remove(filepath.Join(dir, "dovecot-uidlist")); err != nil {
		return fmt.Errorf("dovetest: %w", err)
	}
	for _, f := range []string{"dovecot.index", "dovecot.index.cache", "dovecot.index.log", "dovecot.index.log.2"} {
		os.Remove(filepath.Join(dir, f))
	}
	now := time.Now().Add(2 * time.Second)
	return os.Chtimes(dir, now, now)
}

// Log returns Dovecot's log.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	return string(b)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// chownMail gives the mail tree to the mail user when running as root.
func chownMail(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	out, err := exec.Command("chown", "-R", "mail:mail", dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("chown %s: %w: %s", dir, err, out)
	}
	return nil
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Deliver writes messages straight into a user's Maildir folder (new/), the
// fast way to seed thousands; Dovecot assigns their UIDs when it next looks.
func (s *Server) Deliver(user, folder string, msgs [][]byte) error {
	dir := s.Maildir(user, folder)
	for _, sub := range []string{"new", "cur", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return err
		}
	}
	base := time.Now().UnixNano()
	for i, m := range msgs {
		name := fmt.Sprintf("%d.M%dP%d.dovetest", base/1e9, base%1e9+int64(i), os.Getpid())
		if err := os.WriteFile(filepath.Join(dir, "new", name), m, 0o600); err != nil {
			return err
		}
	}
	return chownMail(filepath.Join(s.Dir, "mail"))
}
