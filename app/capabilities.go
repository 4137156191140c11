package app

import (
	"tidings/backend/channels"
	"tidings/backend/channels/connectors"
	"tidings/backend/channels/emailconn"
	"tidings/backend/inbox"
)

// capabilities says what an account's channel can carry, from its
// connector in the registry (no I/O). An email account whose connector
// cannot be built (no password in the keyring yet) keeps the email
// connector's limits, since its mail waits in the outbox; a chat account's
// (a missing bot token) offers no files: it cannot send until that is
// fixed.
func (a *Inbox) capabilities(acct inbox.Account) channels.Capabilities {
	if _, ok := connectors.Registry[acct.Channel]; ok && !acct.Demo() {
		if conn, err := connectors.Registry.Open(acct, a.secretStore()); err == nil {
			defer conn.Close()
			return conn.Capabilities()
		}
	}
	if acct.Channel == inbox.ChannelEmail {
		return channels.Capabilities{Threads: true, Attachments: true, MaxUploadSize: emailconn.MaxUploadSize}
	}
	return channels.Capabilities{}
}
