// Package connectors is the one explicit registry of channel connectors:
// each channel package adds its factory here, and callers open an
// account's connector through it, never through a concrete type.
package connectors

import (
	"tidings/backend/channels"
	"tidings/backend/channels/emailconn"
	"tidings/backend/channels/telegram"
	"tidings/backend/inbox"
)

// Registry maps every channel this build can run to its connector factory.
var Registry = channels.Registry{
	inbox.ChannelEmail:    emailconn.Factory,
	inbox.ChannelTelegram: telegram.Factory,
}

// Chat reports whether a channel's accounts run in the chat Runner (one
// conversation per chat, receive loop in channels.Runner). Email is
// registered too (its connector passes the same conformance suite and
// gives the window its limits), but its accounts run in the email syncer,
// which adds flags both ways, expunges and the outbox.
func Chat(ch inbox.Channel) bool {
	_, ok := Registry[ch]
	return ok && ch != inbox.ChannelEmail
}
