package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/notify"
	"tidings/backend/notify/notifytest"
	"tidings/backend/store"
	"tidings/backend/threader"
)

// has reports whether an event with this name and first argument was
// emitted (eventLog is in export_test.go).
func (l *eventLog) has(e string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, name := range l.names {
		if fmt.Sprintf("%s %v", name, l.data[i]) == e {
			return true
		}
	}
	return false
}

func TestQuietHours(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 26, h, m, 0, 0, time.Local) }
	for _, c := range []struct {
		from, to string
		now      time.Time
		want     bool
	}{
		{"", "", at(3, 0), false},
		{"22:00", "07:00", at(23, 30), true},
		{"22:00", "07:00", at(3, 0), true},
		{"22:00", "07:00", at(7, 0), false},
		{"22:00", "07:00", at(12, 0), false},
		{"12:00", "13:30", at(13, 29), true},
		{"12:00", "13:30", at(11, 59), false},
		{"09:00", "09:00", at(9, 0), false},
	} {
		s := NotifySettings{QuietFrom: c.from, QuietTo: c.to}
		if got := s.quiet(c.now); got != c.want {
			t.Errorf("quiet %s–%s at %s: got %v, want %v", c.from, c.to, c.now.Format("15:04"), got, c.want)
		}
	}
	for _, bad := range []NotifySettings{{QuietFrom: "22:00"}, {QuietFrom: "24:00", QuietTo: "07:00"}, {QuietFrom: "7:00", QuietTo: "08:00"}} {
		if err := bad.Validate(); !errors.Is(err, inbox.ErrInvalid) {
			t.Errorf("validate %+v: got %v, want ErrInvalid", bad, err)
		}
	}
}

func TestNotificationTexts(t *testing.T) {
	m := func(name, subject, text string) store.NewInbound {
		return store.NewInbound{ConversationID: "cv_" + name, ContactName: name, Subject: subject, Text: text, Channel: "email"}
	}
	one := notifications([]store.NewInbound{m("Alice", "Order #1001", "\n> quoted\nAny news on my parcel?\nThanks")}, true)
	if len(one) != 1 || one[0].Title != "Alice" || one[0].Body != "Order #1001\nAny news on my parcel?" || one[0].Key != "cv_Alice" || one[0].Category != "email.arrived" {
		t.Fatalf("one message: got %+v", one)
	}
	if hidden := notifications([]store.NewInbound{m("Alice", "Order #1001", "secret")}, false); hidden[0].Body != "New message" {
		t.Fatalf("without text: got body %q", hidden[0].Body)
	}
	chat := store.NewInbound{ConversationID: "cv_b", FromName: "Bob", Channel: "telegram", Text: "hi there"}
	if c := notifications([]store.NewInbound{chat}, true)[0]; c.Title != "Bob" || c.Body != "hi there" || c.Category != "im.received" {
		t.Fatalf("chat: got %+v", c)
	}
	burst := notifications([]store.NewInbound{m("A", "", "1"), m("B", "", "2"), m("A", "", "3"), m("C", "", "4"), m("D", "", "5")}, true)
	if len(burst) != 1 || burst[0].Title != "5 new customer messages" || burst[0].Body != "From D, C and 2 more" || burst[0].Key != "cv_D" {
		t.Fatalf("burst: got %+v", burst)
	}
}

// TestNotifierOverDBus: new customer messages stored in a real SQLite
// workspace notify through a fake freedesktop server on a private
// dbus-daemon, as the settings allow; a click opens the conversation.
func TestNotifierOverDBus(t *testing.T) {
	bus := notifytest.Start(t)
	srv, err := notifytest.Serve(bus.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	a, _ := newInbox(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: "owner@shop.example"}
	if err := a.ws.Store.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	events := &eventLog{}
	n := NewNotifier(a.ws, events, nil)
	opened := make(chan struct{}, 4)
	n.OnOpen = func() { opened <- struct{}{} }
	svc, err := notify.OpenAddress(ctx, bus.Address, &notify.Options{AppName: "Tidings", OnClick: n.clicked})
	if err != nil {
		t.Fatal(err)
	}
	n.opts.Service = svc
	defer n.Shutdown()

	th := threader.New(a.ws.Store, nil)
	seq := 0
	ingest := func(from inbox.Address, subject, text string, date time.Time, auto bool) string {
		t.Helper()
		seq++
		r, err := th.Ingest(ctx, threader.Input{Account: &acct, Message: &inbox.Message{
			From: from, To: []inbox.Address{{Address: acct.Address}}, Subject: subject, Text: text, Date: date,
			MessageID: fmt.Sprintf("<m%d@test>", seq), Auto: auto, ContentHash: fmt.Sprintf("hash-%d", seq),
		}})
		if err != nil {
			t.Fatal(err)
		}
		return r.ConversationID
	}
	alice := inbox.Address{Name: "Alice Smith", Address: "alice@example.com"}
	ingest(alice, "Before the start", "stored before the window opened", time.Now(), false)
	if err := n.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(want int) {
		t.Helper()
		got, err := n.CheckNow()
		if err != nil || got != want {
			t.Fatalf("notifications shown: got %d, %v, want %d", got, err, want)
		}
	}
	check(0) // what was stored before Begin never notifies

	conv := ingest(alice, "Order #1001 delayed?", "Any news on my parcel?", time.Now(), false)
	ingest(inbox.Address{Name: "Shop", Address: acct.Address}, "Re: Order #1001 delayed?", "It ships today.", time.Now(), false)
	ingest(inbox.Address{Address: "noreply@carrier.example"}, "Tracking update", "automatic", time.Now(), true)
	ingest(inbox.Address{Address: "old@example.com"}, "Last year", "history", time.Now().Add(-48*time.Hour), false)
	check(1) // the owner's own reply, auto mail and old history do not notify
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("Notify calls: got %d, want 1", len(calls))
	}
	if c := calls[0]; c.Summary != "Alice Smith" || c.Body != "Order #1001 delayed?\nAny news on my parcel?" || c.AppName != "Tidings" {
		t.Fatalf("notification: got %+v", c)
	}

	// A click opens the conversation in the window.
	if err := srv.Click(calls[0].ID); err != nil {
		t.Fatal(err)
	}
	select {
	case <-opened:
	case <-ctx.Done():
		t.Fatal("the click did not bring the window up")
	}
	if want := EventNotifyOpen + " " + conv; !events.has(want) {
		t.Fatalf("events: got %v, want %q", events.names, want)
	}

	// The settings are respected.
	set := DefaultNotifySettings()
	set.MutedAccounts = []string{acct.ID}
	if err := n.SetSettings(set); err != nil {
		t.Fatal(err)
	}
	ingest(alice, "Muted", "x", time.Now(), false)
	check(0)
	now := time.Now()
	set = DefaultNotifySettings()
	set.QuietFrom, set.QuietTo = now.Add(-time.Hour).Format("15:04"), now.Add(time.Hour).Format("15:04")
	must(t, n.SetSettings(set))
	ingest(alice, "Quiet", "x", time.Now(), false)
	check(0)
	set = DefaultNotifySettings()
	set.OnlyAway = true
	must(t, n.SetSettings(set))
	n.SetAway(false)
	ingest(alice, "Looking at the window", "x", time.Now(), false)
	check(0)
	n.SetAway(true)
	ingest(alice, "Away", "x", time.Now(), false)
	check(1)
	set.Enabled = false
	must(t, n.SetSettings(set))
	ingest(alice, "Off", "x", time.Now(), false)
	check(0)
	// A message stored while off stays quiet when they are turned on again
	// before the next look: settings apply as they were when it arrived.
	ingest(alice, "Still off", "x", time.Now(), false)
	set.Enabled = true
	must(t, n.SetSettings(set))
	check(0)
	set.Enabled = false
	must(t, n.SetSettings(set))
	if got, _ := n.Settings(); got.Enabled || !got.OnlyAway {
		t.Fatalf("settings read back: got %+v", got)
	}

	// A burst becomes one summary.
	must(t, n.SetSettings(DefaultNotifySettings()))
	for i := range 5 {
		ingest(inbox.Address{Name: fmt.Sprintf("Customer %d", i), Address: fmt.Sprintf("c%d@example.com", i)}, "Hello", "hi", time.Now(), false)
	}
	check(1)
	last := srv.Calls()[len(srv.Calls())-1]
	if last.Summary != "5 new customer messages" || !strings.HasPrefix(last.Body, "From Customer 4, Customer 3 and 3 more") {
		t.Fatalf("summary: got %+v", last)
	}

	if name, err := n.Test(); err != nil || name != "notifytest 1.0" {
		t.Fatalf("test notification: got %q, %v", name, err)
	}
	if n.Service() != "notifytest 1.0" {
		t.Fatalf("service: got %q", n.Service())
	}
}

func TestNotifierWithoutService(t *testing.T) {
	a, _ := newInbox(t)
	n := NewNotifier(a.ws, nil, &NotifierOptions{Service: notify.None{Why: "no session bus"}})
	if _, err := n.CheckNow(); !errors.Is(err, inbox.ErrNotAvailable) {
		t.Fatalf("check before start: got %v, want ErrNotAvailable", err)
	}
	if err := n.Begin(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := n.Service(); got != "none: no session bus" {
		t.Fatalf("service: got %q", got)
	}
	if _, err := n.Test(); !errors.Is(err, notify.ErrNoService) {
		t.Fatalf("test without a service: got %v, want ErrNoService", err)
	}
	if err := n.SetSettings(NotifySettings{QuietFrom: "22:00"}); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("half quiet hours: got %v, want ErrInvalid", err)
	}
	n.Shutdown()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
