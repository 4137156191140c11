package app

import (
	"tidings/backend/channels"
	"tidings/backend/channels/connectors"
	"tidings/backend/inbox"
)

// emailMaxMessage is the largest email Tidings sends, attachments included:
// 25 MB, what the big providers accept (Gmail, Yahoo; Outlook.com takes
// 20 MB of files, which base64 makes about 27 MB on the wire).
const emailMaxMessage = 25 << 20

// capabilities says what an account's channel can carry, from its
// connector in the registry (no I/O). Email, sent by the syncer's outbox
// rather than a chat connector, falls back to emailMaxMessage. An account
// whose connector cannot be built (a missing token) offers no files: it
// cannot send at all until that is fixed.
func (a *Inbox) capabilities(acct inbox.Account) channels.Capabilities {
	if _, ok := connectors.Registry[acct.Channel]; ok && !acct.Demo() {
		if conn, err := connectors.Registry.Open(acct, a.secretStore()); err == nil {
			defer conn.Close()
			return conn.Capabilities()
		}
	}
	if acct.Channel == inbox.ChannelEmail {
		return channels.Capabilities{Threads: true, Attachments: true, MaxUploadSize: emailMaxMessage}
	}
	return channels.Capabilities{}
}
