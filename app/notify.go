package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/notify"
	"tidings/backend/store"
	"tidings/backend/workspace"
)

// EventNotifyOpen carries the conversation ID of a clicked notification:
// the window opens it.
const EventNotifyOpen = "notify:open"

// notifySettingKey stores NotifySettings as JSON.
const notifySettingKey = "notify"

// maxSeparate is how many new messages notify one by one in a round; more
// become one summary.
const maxSeparate = 3

// NotifierOptions tune the Notifier. A nil *NotifierOptions means defaults.
type NotifierOptions struct {
	// Service shows the notifications; nil opens the session bus's at
	// Startup (notify.Open), or none.
	Service notify.Service
	// Interval between looks for new messages (default 2 s).
	Interval time.Duration
	// Now is the clock (tests).
	Now func() time.Time
}

// Notifier is bound to the window as window.go.app.Notifier: desktop
// notifications for new customer messages (not the owner's own, not
// automatic mail), as the settings allow; a click opens the conversation.
// It follows the store (every channel, and other processes writing it) by
// the messages' row numbers.
type Notifier struct {
	ws   *workspace.Workspace
	emit Emitter
	opts NotifierOptions

	// OnOpen brings the window to the front after a click (main sets it).
	OnOpen func()

	// checking serializes looks for new messages (the loop, CheckNow,
	// SetSettings), so that none is notified twice.
	checking sync.Mutex

	mu      sync.Mutex
	svc     notify.Service
	mark    int64
	away    bool
	started bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewNotifier returns the bound service; nothing runs until Startup.
func NewNotifier(ws *workspace.Workspace, emit Emitter, opts *NotifierOptions) *Notifier {
	n := &Notifier{ws: ws, emit: emit, away: true}
	if opts != nil {
		n.opts = *opts
	}
	if n.opts.Interval <= 0 {
		n.opts.Interval = 2 * time.Second
	}
	if n.opts.Now == nil {
		n.opts.Now = time.Now
	}
	return n
}

// Startup connects to the notification service and starts watching for
// new messages, in the background (the first D-Bus call may take a
// moment): only messages stored from then on notify.
func (n *Notifier) Startup(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	n.mu.Lock()
	n.cancel, n.done = cancel, done
	n.mu.Unlock()
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				slog.Error("app: notifier panicked", "panic", r)
			}
		}()
		if err := n.Begin(ctx); err != nil {
			slog.Warn("app: notifications", "err", err)
			return
		}
		n.loop(ctx)
	}()
}

// Begin connects the service (when none was given) and sets the mark at
// the newest message stored; Startup calls it, tests call it alone.
func (n *Notifier) Begin(ctx context.Context) error {
	mark, err := n.ws.Store.MaxMessageSeq(ctx)
	if err != nil {
		return err
	}
	svc := n.opts.Service
	if svc == nil {
		svc = notify.Open(ctx, &notify.Options{AppName: "Tidings", DesktopEntry: "tidings", Icon: "mail-message-new", OnClick: n.clicked})
	}
	n.mu.Lock()
	n.svc, n.mark, n.started = svc, mark, true
	n.mu.Unlock()
	slog.Info("app: desktop notifications", "service", svc.Name())
	return nil
}

func (n *Notifier) loop(ctx context.Context) {
	t := time.NewTicker(n.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := n.check(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("app: looking for new messages to notify", "err", err)
			}
		}
	}
}

// Shutdown stops watching and releases the service.
func (n *Notifier) Shutdown() {
	n.mu.Lock()
	cancel, done, svc := n.cancel, n.done, n.svc
	n.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	if svc != nil {
		svc.Close()
	}
}

// CheckNow looks for new customer messages at once and notifies them; it
// returns how many notifications it showed.
func (n *Notifier) CheckNow() (int, error) { return n.check(context.Background()) }

func (n *Notifier) check(ctx context.Context) (int, error) {
	n.checking.Lock()
	defer n.checking.Unlock()
	n.mu.Lock()
	svc, mark, away, started := n.svc, n.mark, n.away, n.started
	n.mu.Unlock()
	if !started {
		return 0, fmt.Errorf("app: the notifier has not started: %w", inbox.ErrNotAvailable)
	}
	msgs, err := n.ws.Store.InboundSince(ctx, mark, 500)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	n.mu.Lock()
	n.mark = msgs[len(msgs)-1].Seq
	n.mu.Unlock()
	set, err := n.Settings()
	if err != nil {
		return 0, err
	}
	now := n.opts.Now()
	var show []store.NewInbound
	for _, m := range msgs {
		if why := set.skip(m, now, away); why != "" {
			slog.Debug("app: not notifying", "message", m.MessageID, "why", why)
			continue
		}
		show = append(show, m)
	}
	notes := notifications(show, set.ShowText)
	shown := 0
	for _, note := range notes {
		if err := svc.Show(ctx, note); err != nil {
			return shown, err
		}
		shown++
	}
	return shown, nil
}

// notifications turns the messages to notify into notifications: one each,
// or one summary when there are many (its click opens the newest).
func notifications(msgs []store.NewInbound, text bool) []notify.Notification {
	if len(msgs) > maxSeparate {
		names, seen := []string{}, map[string]bool{}
		for i := len(msgs) - 1; i >= 0; i-- {
			if w := who(msgs[i]); !seen[w] {
				seen[w] = true
				names = append(names, w)
			}
		}
		body := names[0]
		switch {
		case len(names) == 2:
			body += " and " + names[1]
		case len(names) > 2:
			body += fmt.Sprintf(", %s and %d more", names[1], len(names)-2)
		}
		newest := msgs[len(msgs)-1]
		return []notify.Notification{{Title: fmt.Sprintf("%d new customer messages", len(msgs)), Body: "From " + body,
			Key: newest.ConversationID, Category: category(newest), Replaces: "summary"}}
	}
	out := make([]notify.Notification, 0, len(msgs))
	for _, m := range msgs {
		body := m.Subject
		if text {
			if l := firstLine(m.Text, 140); l != "" {
				if body != "" && m.Channel == string(inbox.ChannelEmail) {
					body += "\n"
				} else {
					body = ""
				}
				body += l
			}
		} else {
			body = "New message"
		}
		// A conversation that gets several messages keeps one notification.
		out = append(out, notify.Notification{Title: who(m), Body: body, Key: m.ConversationID, Category: category(m), Replaces: m.ConversationID})
	}
	return out
}

func category(m store.NewInbound) string {
	if m.Channel == string(inbox.ChannelEmail) {
		return "email.arrived"
	}
	return "im.received"
}

// clicked opens a clicked notification's conversation in the window.
func (n *Notifier) clicked(conversationID string) {
	if n.emit != nil {
		n.emit.Emit(EventNotifyOpen, conversationID)
	}
	if n.OnOpen != nil {
		n.OnOpen()
	}
}

// Settings returns the notification settings (defaults until saved).
func (n *Notifier) Settings() (NotifySettings, error) {
	s := DefaultNotifySettings()
	v, err := n.ws.Store.Setting(context.Background(), notifySettingKey)
	if err != nil || v == "" {
		return s, err
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return DefaultNotifySettings(), fmt.Errorf("app: notification settings: %w", err)
	}
	if s.MutedAccounts == nil {
		s.MutedAccounts = []string{}
	}
	return s, nil
}

// SetSettings saves the notification settings.
func (n *Notifier) SetSettings(s NotifySettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.MutedAccounts == nil {
		s.MutedAccounts = []string{}
	}
	// Messages stored before the change get the settings they arrived under.
	n.mu.Lock()
	started := n.started
	n.mu.Unlock()
	if started {
		if _, err := n.check(context.Background()); err != nil {
			slog.Warn("app: notifying before a settings change", "err", err)
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return n.ws.Store.SetSetting(context.Background(), notifySettingKey, string(b))
}

// SetAway tells the notifier whether the window is in the background (the
// window reports focus changes), for the "only while away" setting.
func (n *Notifier) SetAway(away bool) {
	n.mu.Lock()
	n.away = away
	n.mu.Unlock()
}

// Service names the notification service in use ("none: why" without one).
func (n *Notifier) Service() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.svc == nil {
		return "none: not started"
	}
	return n.svc.Name()
}

// Test shows a sample notification for the newest customer conversation
// (a click opens it), whatever the settings say; it returns the service's
// name, or why none can show it.
func (n *Notifier) Test() (string, error) {
	n.mu.Lock()
	svc := n.svc
	n.mu.Unlock()
	if svc == nil {
		return "", fmt.Errorf("app: notifications have not started: %w", inbox.ErrNotAvailable)
	}
	note := notify.Notification{Title: "Tidings", Body: "Notifications work. New customer messages show up like this.", Category: "im.received"}
	ctx := context.Background()
	if list, err := n.ws.Store.Conversations(ctx, store.ListFilter{Limit: 1}); err == nil && len(list) > 0 {
		c := list[0]
		note.Key = c.ID
		note.Body = fmt.Sprintf("Notifications work. Click to open “%s”.", c.Subject)
	}
	if err := svc.Show(ctx, note); err != nil {
		return svc.Name(), fmt.Errorf("app: %s: %w", svc.Name(), err)
	}
	return svc.Name(), nil
}
