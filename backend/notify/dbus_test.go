package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/notify"
	"tidings/backend/notify/notifytest"
)

func startBus(t *testing.T) *notifytest.Bus { return notifytest.Start(t) }

func TestShowAndClickOverDBus(t *testing.T) {
	bus := startBus(t)
	srv, err := notifytest.Serve(bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	clicks := make(chan string, 4)
	d, err := notify.OpenAddress(ctx, bus.Address, &notify.Options{AppName: "Tidings", DesktopEntry: "tidings", OnClick: func(k string) { clicks <- k }})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := d.Name(); got != "notifytest 1.0" {
		t.Fatalf("name: got %q, want %q", got, "notifytest 1.0")
	}
	if err := d.Show(ctx, notify.Notification{Title: "Alice Smith", Body: "Any news on my parcel?", Key: "cv_1", Category: "email.arrived"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Show(ctx, notify.Notification{Title: "Bob", Body: "Hello", Key: "cv_2", Category: "im.received", Replaces: "summary"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Show(ctx, notify.Notification{Title: "Bob again", Body: "Hello?", Key: "cv_3", Replaces: "summary"}); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if len(calls) != 3 {
		t.Fatalf("Notify calls: got %d, want 3", len(calls))
	}
	c := calls[0]
	if c.AppName != "Tidings" || c.Summary != "Alice Smith" || c.Body != "Any news on my parcel?" || c.Timeout != -1 {
		t.Fatalf("first call: got %+v", c)
	}
	if strings.Join(c.Actions, ",") != "default,Open" {
		t.Fatalf("actions: got %q, want default,Open", c.Actions)
	}
	if c.Hints["category"] != "email.arrived" || c.Hints["desktop-entry"] != "tidings" || c.Hints["urgency"] != "1" {
		t.Fatalf("hints: got %v", c.Hints)
	}
	if calls[2].Replaces != calls[1].ID || calls[2].ID != calls[1].ID {
		t.Fatalf("replacing: got replaces_id %d (id %d), want %d", calls[2].Replaces, calls[2].ID, calls[1].ID)
	}

	// Another application's notification, and a non-default action, are
	// not clicks on ours.
	if err := srv.Click(999); err != nil {
		t.Fatal(err)
	}
	if err := srv.Click(calls[0].ID); err != nil {
		t.Fatal(err)
	}
	select {
	case k := <-clicks:
		if k != "cv_1" {
			t.Fatalf("click: got %q, want cv_1", k)
		}
	case <-ctx.Done():
		t.Fatal("no click arrived")
	}
	if err := srv.Click(calls[2].ID); err != nil {
		t.Fatal(err)
	}
	if k := <-clicks; k != "cv_3" {
		t.Fatalf("click on the replaced notification: got %q, want cv_3", k)
	}
	select {
	case k := <-clicks:
		t.Fatalf("unexpected click %q (from another app's notification)", k)
	default:
	}
}

func TestServerWithoutActions(t *testing.T) {
	bus := startBus(t)
	srv, err := notifytest.Serve(bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.NoActions = true
	ctx := context.Background()
	d, err := notify.OpenAddress(ctx, bus.Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !strings.Contains(d.Name(), "no click actions") {
		t.Fatalf("name: got %q, want it to say clicks do not work", d.Name())
	}
	if err := d.Show(ctx, notify.Notification{Title: "t", Key: "cv_1"}); err != nil {
		t.Fatal(err)
	}
	if a := srv.Calls()[0].Actions; len(a) != 0 {
		t.Fatalf("actions sent to a server without them: %q", a)
	}
}

func TestFallbackWhereNoServiceAnswers(t *testing.T) {
	bus := startBus(t) // a bus, but nobody owns org.freedesktop.Notifications
	ctx := context.Background()
	if _, err := notify.OpenAddress(ctx, bus.Address, nil); err == nil {
		t.Fatal("OpenAddress on a bus without the service: got no error")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Address)
	s := notify.Open(ctx, nil)
	if _, ok := s.(notify.None); !ok {
		t.Fatalf("Open without a service: got %T, want notify.None", s)
	}
	if !strings.HasPrefix(s.Name(), "none: ") || !strings.Contains(s.Name(), "no notification service") {
		t.Fatalf("name: got %q, want it to say why", s.Name())
	}
	if err := s.Show(ctx, notify.Notification{Title: "x"}); !errors.Is(err, notify.ErrNoService) {
		t.Fatalf("Show: got %v, want ErrNoService", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	if _, ok := notify.Open(ctx, nil).(notify.None); !ok {
		t.Fatal("Open without a bus: want notify.None")
	}
	// No address at all: no bus is started (dbus-launch), none is found.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if a := notify.SessionBusAddress(); a != "" {
		t.Fatalf("session bus address without one: got %q", a)
	}
	if n, ok := notify.Open(ctx, nil).(notify.None); !ok || !strings.Contains(n.Name(), "no session bus") {
		t.Fatalf("Open without any session bus: got %#v", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestFindsTheUserBusSocket(t *testing.T) {
	bus := startBus(t)
	dir := bus.Dir
	srv, err := notifytest.Serve(bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", dir)
	s := notify.Open(context.Background(), nil)
	defer s.Close()
	if s.Name() != "notifytest 1.0" {
		t.Fatalf("service found through $XDG_RUNTIME_DIR/bus: got %q", s.Name())
	}
}
