package channels

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"tidings/backend/inbox"
)

// ThreadCapabilities is implemented by connectors whose limits differ from
// one chat to another: a Telegram Business chat may be answered only within
// 24 hours of the customer's last message, a chat with the bot at any time.
type ThreadCapabilities interface {
	ThreadCapabilities(thread string) Capabilities
}

// CapabilitiesFor returns what conn can do in one thread ("" for the
// channel as a whole).
func CapabilitiesFor(conn Connector, thread string) Capabilities {
	if tc, ok := conn.(ThreadCapabilities); ok && thread != "" {
		return tc.ThreadCapabilities(thread)
	}
	return conn.Capabilities()
}

// Refusal says why a channel would refuse a reply before it is sent, in a
// sentence for the owner, or "" when the channel accepts it. lastInbound is
// when the customer last wrote (zero: never), now the time of sending, and
// files the files to attach (their Data, or only their Size). Deliver refuses what it names;
// the window shows the same reason before the owner presses Send.
func Refusal(caps Capabilities, channel inbox.Channel, text string, files []inbox.Attachment, lastInbound, now time.Time) string {
	name := channelName(channel)
	if n := utf8.RuneCountInString(text); caps.MaxTextLength > 0 && n > caps.MaxTextLength {
		return fmt.Sprintf("%s allows %d characters in a message; this one has %d", name, caps.MaxTextLength, n)
	}
	if len(files) > 0 && !caps.Attachments {
		return fmt.Sprintf("%s cannot carry files", name)
	}
	for _, f := range files {
		if s := max(f.Size, int64(len(f.Data))); caps.MaxUploadSize > 0 && s > caps.MaxUploadSize {
			return fmt.Sprintf("%s is %s; %s accepts files up to %s", f.Name, Size(s), name, Size(caps.MaxUploadSize))
		}
	}
	if caps.ReplyWindow > 0 {
		if lastInbound.IsZero() {
			return fmt.Sprintf("%s allows replies only within %s of the customer's last message, and they have not written here", name, hours(caps.ReplyWindow))
		}
		if closed := now.Sub(lastInbound.Add(caps.ReplyWindow)); closed > 0 {
			return fmt.Sprintf("%s allows replies only within %s of the customer's last message: the window closed %s ago", name, hours(caps.ReplyWindow), hours(closed))
		}
	}
	return ""
}

// Size writes a byte count the way the window does: "50 MB", "800 KB".
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", (n+1<<19)>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// hours writes a duration in whole hours or minutes: "24 h", "3 h", "40 min".
func hours(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("%d h", int((d+30*time.Minute)/time.Hour))
	}
	return fmt.Sprintf("%d min", max(1, int(d/time.Minute)))
}

// channelName is a channel as a sentence names it: "Telegram".
func channelName(ch inbox.Channel) string {
	s := string(ch)
	if s == "" {
		return "the channel"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
