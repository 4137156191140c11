// Package notify shows desktop notifications and reports clicks on them.
// On Linux it speaks the freedesktop.org Desktop Notifications
// Specification 1.2 over the D-Bus session bus (org.freedesktop.Notifications:
// Notify, the "default" action and the ActionInvoked signal), which GNOME,
// KDE, dunst, mako, xfce4-notifyd and others serve. Where no such service
// answers (no session bus, a headless box, another OS) Open returns None,
// which shows nothing and says so. Wails v2 has no notification API.
package notify

import (
	"context"
	"errors"
)

// Notification is one desktop notification.
type Notification struct {
	// Title is the summary line, Body the text under it (plain text: the
	// body markup some servers support is never used).
	Title string
	Body  string
	// Key comes back to OnClick when the notification is clicked (a
	// conversation ID).
	Key string
	// Category is a spec category hint ("email.arrived", "im.received").
	Category string
	// Replaces is a key shown before whose notification this one replaces
	// (a summary that grows), or "".
	Replaces string
}

// Service shows notifications.
type Service interface {
	// Name says which service shows them ("GNOME Shell 44.2", "none: …").
	Name() string
	// Show shows n; a click on it calls the OnClick given to Open.
	Show(ctx context.Context, n Notification) error
	// Close stops listening for clicks and releases the connection.
	Close() error
}

// Options tune Open. A nil *Options means defaults.
type Options struct {
	// AppName is the application name the server shows ("Tidings").
	AppName string
	// DesktopEntry names the .desktop file, for the server's icon and
	// grouping ("tidings").
	DesktopEntry string
	// Icon is an icon name or file path, optional.
	Icon string
	// OnClick is called with a notification's Key when the owner clicks it.
	// It runs on the service's own goroutine.
	OnClick func(key string)
}

// ErrNoService says no notification service answered.
var ErrNoService = errors.New("notify: no notification service")

// None shows nothing: the fallback where no notification service answers.
type None struct {
	// Why says why there is no service, for the settings screen.
	Why string
}

// Name says there is no service, and why.
func (n None) Name() string {
	if n.Why == "" {
		return "none"
	}
	return "none: " + n.Why
}

// Show reports ErrNoService.
func (n None) Show(context.Context, Notification) error { return ErrNoService }

// Close does nothing.
func (None) Close() error { return nil }

// Open connects to the session bus's notification service; where none
// answers, it returns None with the reason.
func Open(ctx context.Context, opts *Options) Service {
	s, err := OpenSessionBus(ctx, opts)
	if err != nil {
		return None{Why: err.Error()}
	}
	return s
}
