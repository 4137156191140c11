package notify

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// The service's well-known name, object and interface (spec 1.2, "D-BUS
// Protocol").
const (
	busName   = "org.freedesktop.Notifications"
	objPath   = dbus.ObjectPath("/org/freedesktop/Notifications")
	iface     = "org.freedesktop.Notifications"
	actionKey = "default" // the action a click on the notification invokes
)

// probeTimeout bounds the first call: a bus without the service may try to
// start one by activation first.
const probeTimeout = 5 * time.Second

// maxTracked bounds the notifications remembered for clicks.
const maxTracked = 256

// DBus is the freedesktop notification service on a D-Bus connection.
type DBus struct {
	conn    *dbus.Conn
	obj     dbus.BusObject
	opts    Options
	name    string
	actions bool

	mu    sync.Mutex
	keys  map[uint32]string // notification ID → Key
	ids   map[string]uint32 // Key (Replaces) → notification ID
	order []uint32
	done  chan struct{}
}

// OpenSessionBus connects to the session bus and its notification
// service. It never starts a bus (godbus would run dbus-launch, leaving a
// daemon behind): without one it fails.
func OpenSessionBus(ctx context.Context, opts *Options) (*DBus, error) {
	addr := SessionBusAddress()
	if addr == "" {
		return nil, fmt.Errorf("notify: no session bus (DBUS_SESSION_BUS_ADDRESS is not set): %w", ErrNoService)
	}
	return OpenAddress(ctx, addr, opts)
}

// SessionBusAddress is the session bus's address: DBUS_SESSION_BUS_ADDRESS,
// or the systemd user bus socket $XDG_RUNTIME_DIR/bus; "" when neither.
func SessionBusAddress() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		sock := filepath.Join(dir, "bus")
		if fi, err := os.Stat(sock); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + dbus.EscapeBusAddressValue(sock)
		}
	}
	return ""
}

// OpenAddress connects to the bus at a D-Bus address ("unix:path=…") and
// its notification service (tests use a private bus).
func OpenAddress(ctx context.Context, address string, opts *Options) (*DBus, error) {
	conn, err := dbus.Connect(address, dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("notify: bus %s: %w", address, err)
	}
	return openOn(ctx, conn, opts)
}

func openOn(ctx context.Context, conn *dbus.Conn, opts *Options) (*DBus, error) {
	d := &DBus{conn: conn, obj: conn.Object(busName, objPath), keys: map[uint32]string{}, ids: map[string]uint32{}, done: make(chan struct{})}
	if opts != nil {
		d.opts = *opts
	}
	if d.opts.AppName == "" {
		d.opts.AppName = "Tidings"
	}
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var name, vendor, version, spec string
	if err := d.obj.CallWithContext(pctx, iface+".GetServerInformation", 0).Store(&name, &vendor, &version, &spec); err != nil {
		conn.Close()
		return nil, fmt.Errorf("notify: no notification service on the session bus: %w", err)
	}
	d.name = name + " " + version
	var caps []string
	if err := d.obj.CallWithContext(pctx, iface+".GetCapabilities", 0).Store(&caps); err == nil {
		for _, c := range caps {
			if c == "actions" {
				d.actions = true
			}
		}
	}
	// Clicks arrive as signals from the service to every listener; ours
	// are told apart by the IDs Notify returned.
	if err := conn.AddMatchSignalContext(pctx, dbus.WithMatchInterface(iface), dbus.WithMatchObjectPath(objPath)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("notify: listening for clicks: %w", err)
	}
	ch := make(chan *dbus.Signal, 16)
	conn.Signal(ch)
	go d.listen(ch)
	return d, nil
}

// Name is the server's name and version, and whether clicks work.
func (d *DBus) Name() string {
	if !d.actions {
		return d.name + " (no click actions)"
	}
	return d.name
}

// Show sends Notify with the "default" action, so a click on the
// notification itself invokes it.
func (d *DBus) Show(ctx context.Context, n Notification) error {
	var actions []string
	if d.actions && n.Key != "" {
		actions = []string{actionKey, "Open"}
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(1))}
	if n.Category != "" {
		hints["category"] = dbus.MakeVariant(n.Category)
	}
	if d.opts.DesktopEntry != "" {
		hints["desktop-entry"] = dbus.MakeVariant(d.opts.DesktopEntry)
	}
	var replaces uint32
	if n.Replaces != "" {
		d.mu.Lock()
		replaces = d.ids[n.Replaces]
		d.mu.Unlock()
	}
	var id uint32
	err := d.obj.CallWithContext(ctx, iface+".Notify", 0,
		d.opts.AppName, replaces, d.opts.Icon, n.Title, n.Body, actions, hints, int32(-1)).Store(&id)
	if err != nil {
		return fmt.Errorf("notify: Notify: %w", err)
	}
	d.track(id, n)
	return nil
}

func (d *DBus) track(id uint32, n Notification) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.keys[id]; !ok {
		d.order = append(d.order, id)
	}
	d.keys[id] = n.Key
	if n.Replaces != "" {
		d.ids[n.Replaces] = id
	}
	for len(d.order) > maxTracked {
		old := d.order[0]
		d.order = d.order[1:]
		delete(d.keys, old)
	}
}

// listen turns ActionInvoked signals for our notifications into clicks.
func (d *DBus) listen(ch <-chan *dbus.Signal) {
	defer close(d.done)
	defer func() {
		if r := recover(); r != nil {
			slog.Error("notify: listener panicked", "panic", r)
		}
	}()
	for sig := range ch {
		if sig == nil || sig.Name != iface+".ActionInvoked" || len(sig.Body) < 2 {
			continue
		}
		id, ok1 := sig.Body[0].(uint32)
		action, ok2 := sig.Body[1].(string)
		if !ok1 || !ok2 || action != actionKey {
			continue
		}
		d.mu.Lock()
		key, ours := d.keys[id]
		d.mu.Unlock()
		if ours && key != "" && d.opts.OnClick != nil {
			d.opts.OnClick(key)
		}
	}
}

// Close releases the connection; the listener ends with it.
func (d *DBus) Close() error {
	err := d.conn.Close()
	<-d.done
	return err
}
