// Package channels is the framework every customer channel plugs into: one
// small Connector interface (connect, receive changes since a cursor, send,
// close), a Capabilities struct that callers branch on instead of concrete
// types, error kinds that say whether a failure is temporary (retry with
// backoff) or permanent (stop and tell the owner what to fix), one explicit
// registry, and a supervised Runner that keeps one loop per account.
//
// Connectors translate wire types into inbox types at their edge and never
// touch the store; Apply stores a received Batch (messages and cursors in one
// transaction) and Deliver writes an outgoing message to the store before any
// network I/O. The shared conformance suite lives in channels/channeltest.
package channels

import (
	"context"
	"time"

	"tidings/backend/inbox"
)

// Connector is one connected account on one channel. A Connector is used by
// one goroutine at a time; the Runner gives each account its own.
type Connector interface {
	// Connect checks the credentials and the remote service. It returns a
	// permanent error (see Permanent) when the owner must fix something.
	Connect(ctx context.Context) error
	// Receive returns the changes after the given cursors (scope → value, as
	// saved from earlier batches; empty on the first run). It may wait for
	// new changes (long polling) until ctx ends or a channel-specific
	// timeout passes, and then returns an empty batch. The remote side must
	// not forget anything the returned cursors do not cover yet: a caller
	// that crashes before saving the batch receives it again.
	Receive(ctx context.Context, cursors map[string]string) (Batch, error)
	// Send delivers one outgoing message exactly once: a Connector never
	// retries a request whose outcome is unknown.
	Send(ctx context.Context, out Outbound) (SendResult, error)
	// Capabilities says what the channel can do.
	Capabilities() Capabilities
	// Close releases connections. It is safe to call more than once.
	Close() error
}

// Capabilities describe a channel so that the window and the sender can
// branch on what it offers, never on its concrete type.
type Capabilities struct {
	// Threads: the channel carries threads of its own (email References);
	// chat channels have one conversation per chat instead.
	Threads bool `json:"threads"`
	// Attachments can be received and sent.
	Attachments bool `json:"attachments"`
	// ReadReceipts: the customer sees when the business read a message.
	ReadReceipts bool `json:"read_receipts"`
	// Edits: edited messages are received as edits.
	Edits bool `json:"edits"`
	// Quotes: a reply can quote the customer's message.
	Quotes bool `json:"quotes"`
	// ReplyWindow is how long after the customer's last message the
	// business may still answer freely (WhatsApp: 24 h); 0 means no limit.
	ReplyWindow time.Duration `json:"reply_window"`
	// MaxTextLength is the longest text one message may carry, in
	// characters; 0 means no limit.
	MaxTextLength int `json:"max_text_length"`
	// MaxUploadSize is the largest file that can be sent, in bytes.
	MaxUploadSize int64 `json:"max_upload_size"`
	// MaxDownloadSize is the largest file that can be fetched, in bytes;
	// larger ones stay listed but not downloaded.
	MaxDownloadSize int64 `json:"max_download_size"`
}

// Batch is what one Receive returned: messages in the order they arrived,
// items that could not be read, and the cursors that cover all of them.
// Apply stores everything in one transaction, so the cursors never get
// ahead of what was stored.
type Batch struct {
	Messages []Inbound
	Rejects  []Reject
	// Cursors are the new values by scope; scopes not listed keep theirs.
	Cursors map[string]string
	// Threads is set for a batch from a connector whose channel carries
	// threads of its own (Capabilities.Threads, email): Apply then files
	// each message by its References, In-Reply-To and subject through
	// backend/threader, exactly as the email syncer does, instead of one
	// conversation per Inbound.Thread. SyncRound sets it from the
	// connector's capabilities.
	Threads bool
	// Own lists the business's addresses on a threaded channel besides the
	// account's own (aliases): a message from one of them is ours, and its
	// customer is among its recipients.
	Own []string
}

// Empty reports whether the batch changes nothing.
func (b Batch) Empty() bool {
	return len(b.Messages) == 0 && len(b.Rejects) == 0 && len(b.Cursors) == 0
}

// Inbound is one received message with where it belongs.
type Inbound struct {
	// Thread is the connector's opaque key of the chat the message belongs
	// to, also the route replies take (a Telegram chat, a business chat).
	// There is one conversation per thread per account, except on channels
	// with threads of their own (Batch.Threads), where it is the thread's
	// root and the threader decides.
	Thread string
	// Sender is the customer's identity on the channel (for outgoing
	// messages seen on the channel, the customer they were sent to).
	Sender inbox.Identity
	// Message is the message; its ID must be derived from stable remote
	// identifiers (inbox.DerivedID) so a redelivery is recognised.
	Message inbox.Message
	// Edit marks a new version of a message received before (same ID):
	// its text replaces the stored one and the edit goes in the timeline.
	Edit bool
	// Claims are other identities the customer showed in this message (a
	// shared phone number); they lead to merge suggestions, never to a
	// silent merge.
	Claims []inbox.Identity
	// Warnings are what the connector repaired or guessed while reading
	// the message (an unknown charset), stored beside it.
	Warnings []string
}

// Reject is something received that could not be turned into a message. It
// is stored with its raw bytes and reason, so the cursor may pass it without
// losing it.
type Reject struct {
	// Key identifies it on the remote side (a Telegram update ID).
	Key    string
	Reason string
	Raw    []byte
}

// Outbound is one message to send.
type Outbound struct {
	// MessageID is Tidings' ID of the message, already in the store.
	MessageID string
	// Thread is the route, as received in Inbound.Thread.
	Thread string
	// To is the recipient's identity address, for channels that address
	// people rather than threads.
	To string
	// Subject is the conversation's subject, for channels whose messages
	// carry one (email); others ignore it.
	Subject string
	Text    string
	// QuoteID is the channel's ID of the customer message to quote, if any.
	QuoteID     string
	Attachments []inbox.Attachment
}

// SendResult says what the remote side gave the sent message.
type SendResult struct {
	// RemoteID is the channel's ID of the (first) message sent.
	RemoteID string
	// RemoteIDs lists every message the send produced (text and files may
	// travel separately).
	RemoteIDs []string
	SentAt    time.Time
}
