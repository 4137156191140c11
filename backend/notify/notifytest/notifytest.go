// Package notifytest runs a private D-Bus session bus (dbus-daemon) and a
// fake freedesktop notification server on it that records every Notify
// call and can click a notification (emit ActionInvoked with "default"),
// following the Desktop Notifications Specification 1.2 wire protocol.
package notifytest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Bus is a private dbus-daemon.
type Bus struct {
	// Address is the bus's D-Bus address ("unix:path=…").
	Address string
	// Dir holds the bus socket, named bus (like $XDG_RUNTIME_DIR/bus).
	Dir string
	cmd *exec.Cmd
}

// busConfig is a session bus that anyone on this machine's user may use,
// listening on dir/bus (where a systemd user bus lives in $XDG_RUNTIME_DIR).
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// Start runs a private bus for a test, stopped at its end. Without
// dbus-daemon the test fails under CI=true and is skipped elsewhere.
func Start(tb testing.TB) *Bus {
	tb.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("notifytest: dbus-daemon is missing (apt-get install dbus-daemon)")
		}
		tb.Skip("notifytest: needs dbus-daemon (apt-get install dbus-daemon)")
	}
	bus, err := StartBus(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { bus.Close() })
	return bus
}

// StartBus starts dbus-daemon in dir (a temporary directory) and returns
// when it prints its address. Stop it with Close.
func StartBus(dir string) (*Bus, error) {
	exe, err := exec.LookPath("dbus-daemon")
	if err != nil {
		return nil, fmt.Errorf("notifytest: dbus-daemon not found (apt-get install dbus-daemon): %w", err)
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, dir)), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // it warns about fd limits it may not raise
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("notifytest: dbus-daemon: %w", err)
	}
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("notifytest: dbus-daemon printed no address: %s", stderr.String())
		}
		return &Bus{Address: a, Dir: dir, cmd: cmd}, nil
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("notifytest: dbus-daemon did not start within 10s")
	}
}

// Close stops the bus.
func (b *Bus) Close() error {
	b.cmd.Process.Kill()
	b.cmd.Wait()
	return nil
}

// Call is one recorded Notify call.
type Call struct {
	ID       uint32            `json:"id"`
	AppName  string            `json:"app_name"`
	Replaces uint32            `json:"replaces_id"`
	Icon     string            `json:"app_icon"`
	Summary  string            `json:"summary"`
	Body     string            `json:"body"`
	Actions  []string          `json:"actions"`
	Hints    map[string]string `json:"hints"`
	Timeout  int32             `json:"expire_timeout"`
}

// Server is a fake notification server owning org.freedesktop.Notifications.
type Server struct {
	conn *dbus.Conn
	// NoActions makes GetCapabilities leave out "actions".
	NoActions bool

	mu    sync.Mutex
	calls []Call
	next  uint32
}

const (
	name  = "org.freedesktop.Notifications"
	path  = dbus.ObjectPath("/org/freedesktop/Notifications")
	iface = "org.freedesktop.Notifications"
)

// Serve connects to the bus at address and owns the notification service.
func Serve(address string) (*Server, error) {
	conn, err := dbus.Connect(address)
	if err != nil {
		return nil, fmt.Errorf("notifytest: %w", err)
	}
	s := &Server{conn: conn}
	if err := conn.Export(methods{s}, path, iface); err != nil {
		conn.Close()
		return nil, err
	}
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return nil, fmt.Errorf("notifytest: could not own %s: %v (reply %d)", name, err, reply)
	}
	return s, nil
}

// Calls returns the Notify calls so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// WaitCalls waits until at least n Notify calls arrived.
func (s *Server) WaitCalls(ctx context.Context, n int) ([]Call, error) {
	for {
		if c := s.Calls(); len(c) >= n {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return s.Calls(), fmt.Errorf("notifytest: %d Notify calls, want %d: %w", len(s.Calls()), n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Click emits ActionInvoked(id, "default"), as a server does when the user
// clicks the notification, then NotificationClosed(id, 2: dismissed).
func (s *Server) Click(id uint32) error {
	if err := s.conn.Emit(path, iface+".ActionInvoked", id, "default"); err != nil {
		return err
	}
	return s.conn.Emit(path, iface+".NotificationClosed", id, uint32(2))
}

// Close releases the name and the connection.
func (s *Server) Close() error { return s.conn.Close() }

// methods are the exported D-Bus methods (a separate type so that only
// these are exported).
type methods struct{ s *Server }

func (m methods) GetCapabilities() ([]string, *dbus.Error) {
	if m.s.NoActions {
		return []string{"body"}, nil
	}
	return []string{"actions", "body"}, nil
}

func (m methods) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifytest", "Tidings tests", "1.0", "1.2", nil
}

func (m methods) Notify(app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	m.s.mu.Lock()
	defer m.s.mu.Unlock()
	id := replaces
	if id == 0 {
		m.s.next++
		id = m.s.next
	}
	h := map[string]string{}
	for k, v := range hints {
		h[k] = fmt.Sprint(v.Value())
	}
	m.s.calls = append(m.s.calls, Call{ID: id, AppName: app, Replaces: replaces, Icon: icon, Summary: summary, Body: body, Actions: actions, Hints: h, Timeout: timeout})
	return id, nil
}

func (m methods) CloseNotification(id uint32) *dbus.Error {
	m.s.conn.Emit(path, iface+".NotificationClosed", id, uint32(3))
	return nil
}
