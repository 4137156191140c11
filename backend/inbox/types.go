package inbox

import (
	"encoding/json"
	"time"
)

// Channel names a kind of connection to customers.
type Channel string

// Known channels. A channel is one package under backend/channels.
const (
	ChannelEmail    Channel = "email"
	ChannelTelegram Channel = "telegram"
	ChannelWhatsApp Channel = "whatsapp"
	ChannelSMS      Channel = "sms"
	ChannelPhone    Channel = "phone"
)

// Direction says who wrote a message.
type Direction string

// Message directions.
const (
	// In is a message from a customer.
	In Direction = "in"
	// Out is a message from the business.
	Out Direction = "out"
)

// Account is one connected channel account: a mailbox, a Telegram bot, ...
// Secrets never live here; they are in the OS keyring.
type Account struct {
	ID      string
	Channel Channel
	Name    string
	Address string
	// Config holds channel settings (hosts, ports, security, user) as JSON.
	Config     []byte
	CreatedAt  time.Time
	LastSyncAt time.Time
	LastError  string
}

// Contact is one customer, however many channels they use.
type Contact struct {
	ID         string
	Name       string
	Notes      string
	Identities []Identity
	CreatedAt  time.Time
}

// Identity is one way to reach a contact on one channel: an email address, a
// phone number, a Telegram user.
type Identity struct {
	ID        string
	ContactID string
	Channel   Channel
	// Address is normalized: a lower-case email address, an E.164 phone
	// number, a Telegram user ID.
	Address string
	// Display is how the customer named themselves there.
	Display string
}

// Conversation is one exchange with one customer on one channel.
type Conversation struct {
	ID            string
	AccountID     string
	ContactID     string
	Channel       Channel
	Subject       string
	Status        Status
	SnoozedUntil  time.Time
	LastMessageAt time.Time
	MessageCount  int
	UnreadCount   int
	Preview       string
	Labels        []string
	CreatedAt     time.Time
}

// Address is a name and an address as written in a message header or a chat.
type Address struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// String formats the address as "Name <addr>" or just addr.
func (a Address) String() string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// ThreadReason records why a message joined its conversation.
type ThreadReason string

// Thread reasons.
const (
	ReasonNew        ThreadReason = "new"
	ReasonReferences ThreadReason = "references"
	ReasonReplyTo    ThreadReason = "reply-to"
	ReasonSubject    ThreadReason = "subject"
	ReasonChat       ThreadReason = "chat"
	ReasonManual     ThreadReason = "manual"
)

// Message is one message in a conversation, in either direction.
type Message struct {
	ID             string
	ConversationID string
	AccountID      string
	Channel        Channel
	Direction      Direction
	Date           time.Time
	ReceivedAt     time.Time
	From           Address
	To             []Address
	Cc             []Address
	Bcc            []Address
	Subject        string
	Text           string
	HTML           string
	// MessageID is the RFC 5322 Message-ID for email, the channel's message
	// ID elsewhere.
	MessageID  string
	InReplyTo  string
	References []string
	// Auto marks auto-replies and bulk mail.
	Auto         bool
	Read         bool
	Flagged      bool
	ThreadReason ThreadReason
	// ParseError is set when the original could not be parsed; the raw bytes
	// are kept and shown as such.
	ParseError  string
	ContentHash string
	// Raw holds the original bytes exactly as received, when loaded.
	Raw         []byte
	Attachments []Attachment
	// BodyPending is set while only an email's header is stored: its body
	// and attachments are still being downloaded. HeaderHash identifies it
	// meanwhile (email.HeaderHash).
	BodyPending bool
	HeaderHash  string
	// BodyGone is set with BodyPending when the server no longer has the
	// message anywhere it was seen: its body will not come.
	BodyGone bool
}

// Attachment is a file carried by a message.
type Attachment struct {
	ID          string
	MessageID   string
	Name        string
	ContentType string
	Size        int64
	ContentID   string
	Inline      bool
	// Fetched is false when the body was not downloaded ahead.
	Fetched bool
	Data    []byte
	// Part is the attachment's IMAP body section in its email ("2", "1.3";
	// RFC 9051 section 6.4.5) and Encoding its Content-Transfer-Encoding,
	// to fetch it alone later.
	Part     string
	Encoding string
	// InRaw, when not zero, bounds the attachment's encoded body inside
	// its message's Raw: the store then keeps the data only there.
	InRaw [2]int
}

// Label is a coloured tag on conversations.
type Label struct {
	ID    string
	Name  string
	Color string
}

// Note is a private note on a conversation or a contact, never sent.
type Note struct {
	ID             string
	ConversationID string
	ContactID      string
	Body           string
	CreatedAt      time.Time
}

// OutboxState is where an outgoing message stands.
type OutboxState string

// Outbox states.
const (
	OutboxQueued  OutboxState = "queued"
	OutboxSending OutboxState = "sending"
	OutboxSent    OutboxState = "sent"
	OutboxFailed  OutboxState = "failed"
)

// OutboxItem is an outgoing message, written before any network I/O.
type OutboxItem struct {
	ID             string
	AccountID      string
	ConversationID string
	MessageID      string
	State          OutboxState
	Attempts       int
	LastError      string
	NextAttemptAt  time.Time
	CreatedAt      time.Time
	SentAt         time.Time
	Raw            []byte
}

// Event is something that happened to a conversation, shown in its timeline
// between messages: a status change, a label, a merge.
type Event struct {
	ID             string
	ConversationID string
	Kind           string
	Detail         string
	At             time.Time
}

// SavedSearch is a query kept as a sidebar view.
type SavedSearch struct {
	ID    string
	Name  string
	Query string
}

// Summary is a conversation with its contact, as a list shows it.
type Summary struct {
	Conversation
	Contact Contact
}

// Demo reports whether the account belongs to the demo workspace: it has no
// server behind it, so nothing syncs or sends on it.
func (a Account) Demo() bool {
	var c struct {
		Demo bool `json:"demo"`
	}
	return json.Unmarshal(a.Config, &c) == nil && c.Demo
}
