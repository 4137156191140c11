package app

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// NotifySettings say when a new customer message shows a desktop
// notification (stored as the setting "notify").
type NotifySettings struct {
	Enabled bool `json:"enabled"`
	// MutedAccounts never notify.
	MutedAccounts []string `json:"muted_accounts"`
	// OnlyAway notifies only while the window is not in front.
	OnlyAway bool `json:"only_away"`
	// QuietFrom and QuietTo ("HH:MM", local time) are quiet hours; the
	// range may wrap midnight. Both empty: none.
	QuietFrom string `json:"quiet_from"`
	QuietTo   string `json:"quiet_to"`
	// ShowText puts the message's first line in the notification; off,
	// it says only who wrote (for a screen others can see).
	ShowText bool `json:"show_text"`
}

// DefaultNotifySettings: on, every account, also while the window is in
// front, with the text, no quiet hours.
func DefaultNotifySettings() NotifySettings {
	return NotifySettings{Enabled: true, MutedAccounts: []string{}, ShowText: true}
}

// maxAge: older messages arriving now are history (a first sync, an
// import, an account back online after days), not news.
const maxAge = 6 * time.Hour

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Validate checks the quiet hours.
func (s NotifySettings) Validate() error {
	if (s.QuietFrom == "") != (s.QuietTo == "") {
		return fmt.Errorf("app: quiet hours need both a start and an end: %w", inbox.ErrInvalid)
	}
	for _, v := range []string{s.QuietFrom, s.QuietTo} {
		if v != "" && !hhmm.MatchString(v) {
			return fmt.Errorf("app: quiet hours %q are not HH:MM (00:00 to 23:59): %w", v, inbox.ErrInvalid)
		}
	}
	return nil
}

// quiet says whether now (in its own location) falls in the quiet hours.
func (s NotifySettings) quiet(now time.Time) bool {
	if s.QuietFrom == "" || s.QuietFrom == s.QuietTo {
		return false
	}
	minutes := func(v string) int {
		var h, m int
		fmt.Sscanf(v, "%d:%d", &h, &m)
		return h*60 + m
	}
	from, to, t := minutes(s.QuietFrom), minutes(s.QuietTo), now.Hour()*60+now.Minute()
	if from < to {
		return t >= from && t < to
	}
	return t >= from || t < to // wraps midnight: 22:00–07:00
}

// skip says why a new message does not notify ("" when it does).
func (s NotifySettings) skip(m store.NewInbound, now time.Time, away bool) string {
	switch {
	case !s.Enabled:
		return "notifications are off"
	case m.Demo:
		return "demo account"
	case m.Read:
		return "already read"
	case now.Sub(m.SentAt) > maxAge:
		return "older than " + maxAge.String()
	case s.OnlyAway && !away:
		return "the window is in front"
	case s.quiet(now):
		return "quiet hours"
	}
	for _, a := range s.MutedAccounts {
		if a == m.AccountID && a != "" {
			return "account muted"
		}
	}
	return ""
}

// who names a message's sender for a notification.
func who(m store.NewInbound) string {
	for _, v := range []string{m.ContactName, m.FromName, m.FromAddr} {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return "A customer"
}

// firstLine is a message's first non-empty line, cut to n runes.
func firstLine(text string, n int) string {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, ">") {
			continue
		}
		if r := []rune(l); len(r) > n {
			return string(r[:n-1]) + "…"
		}
		return l
	}
	return ""
}
