// Package connectors is the one explicit registry of channel connectors:
// each channel package adds its factory here, and callers open an
// account's connector through it, never through a concrete type.
package connectors

import (
	"tidings/backend/channels"
	"tidings/backend/channels/telegram"
	"tidings/backend/inbox"
)

// Registry maps every channel this build can run to its connector factory.
var Registry = channels.Registry{
	inbox.ChannelTelegram: telegram.Factory,
}

// Chat reports whether a channel's accounts run in the chat Runner (one
// conversation per chat, receive loop in channels.Runner). Email has its
// own syncer with folders and an outbox.
func Chat(ch inbox.Channel) bool {
	_, ok := Registry[ch]
	return ok && ch != inbox.ChannelEmail
}
