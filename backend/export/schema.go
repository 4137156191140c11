package export

// The JSON export's schema, version 1. SCHEMA.md documents it for people
// and programs that read it; these types are its single definition in code
// (the importer reads the same types). Times are RFC 3339 in UTC with
// milliseconds. Fields are only ever added within a version; a change that
// would break a reader bumps SchemaVersion.

// SchemaName identifies a Tidings JSON export.
const SchemaName = "tidings-export"

// SchemaVersion is the version of the JSON schema this package writes.
const SchemaVersion = 1

// Document is the whole JSON export.
type Document struct {
	Format        string             `json:"format"`
	Version       int                `json:"version"`
	ExportedAt    string             `json:"exported_at"`
	Generator     string             `json:"generator"`
	Attachments   string             `json:"attachments"`
	Accounts      []JSONAccount      `json:"accounts"`
	Labels        []JSONLabel        `json:"labels"`
	Contacts      []JSONContact      `json:"contacts"`
	Conversations []JSONConversation `json:"conversations"`
}

// JSONAccount is a channel account, without its settings or secrets.
type JSONAccount struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

// JSONLabel is a label.
type JSONLabel struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// JSONContact is a contact with its identities and private notes.
type JSONContact struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Notes      string         `json:"notes"`
	CreatedAt  string         `json:"created_at"`
	Identities []JSONIdentity `json:"identities"`
	NoteList   []JSONNote     `json:"note_list"`
}

// JSONIdentity is one address of a contact on one channel.
type JSONIdentity struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	Address string `json:"address"`
	Display string `json:"display"`
}

// JSONConversation is a conversation with everything in it.
type JSONConversation struct {
	ID           string   `json:"id"`
	AccountID    string   `json:"account_id"`
	ContactID    string   `json:"contact_id"`
	Channel      string   `json:"channel"`
	Subject      string   `json:"subject"`
	Status       string   `json:"status"`
	SnoozedUntil string   `json:"snoozed_until"`
	CreatedAt    string   `json:"created_at"`
	Labels       []string `json:"labels"`
	// ChatThread ties a chat conversation to its chat on its account, so
	// new chat messages keep joining it after an import.
	ChatThread *JSONChatThread `json:"chat_thread,omitempty"`
	Messages   []JSONMessage   `json:"messages"`
	Notes      []JSONNote      `json:"notes"`
	Events     []JSONEvent     `json:"events"`
}

// JSONChatThread is the chat a conversation belongs to.
type JSONChatThread struct {
	AccountID string `json:"account_id"`
	Key       string `json:"key"`
}

// JSONAddress is a name and an address.
type JSONAddress struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// JSONMessage is one message. Raw (the original bytes) is present for email
// that was received or sent through a server, as a file or as base64.
type JSONMessage struct {
	ID           string        `json:"id"`
	AccountID    string        `json:"account_id"`
	Channel      string        `json:"channel"`
	Direction    string        `json:"direction"`
	Date         string        `json:"date"`
	ReceivedAt   string        `json:"received_at"`
	From         JSONAddress   `json:"from"`
	To           []JSONAddress `json:"to"`
	Cc           []JSONAddress `json:"cc"`
	Bcc          []JSONAddress `json:"bcc"`
	Subject      string        `json:"subject"`
	Text         string        `json:"text"`
	HTML         string        `json:"html"`
	MessageID    string        `json:"message_id"`
	InReplyTo    string        `json:"in_reply_to"`
	References   []string      `json:"references"`
	Auto         bool          `json:"auto"`
	Read         bool          `json:"read"`
	Flagged      bool          `json:"flagged"`
	ThreadReason string        `json:"thread_reason"`
	ParseError   string        `json:"parse_error"`
	// ParseWarnings lists what the parser repaired or guessed.
	ParseWarnings []string         `json:"parse_warnings,omitempty"`
	ContentHash   string           `json:"content_hash"`
	Raw           *JSONBlob        `json:"raw"`
	Attachments   []JSONAttachment `json:"attachments"`
}

// JSONBlob is bytes kept in a file beside the JSON ("file", a path relative
// to the JSON file, with forward slashes) or inline ("base64"), with their
// size and SHA-256 so a reader can check them.
type JSONBlob struct {
	File   string `json:"file,omitempty"`
	Base64 string `json:"base64,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// JSONAttachment is a file carried by a message. Data is null when the
// attachment was never downloaded.
type JSONAttachment struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	ContentID   string    `json:"content_id"`
	Inline      bool      `json:"inline"`
	Data        *JSONBlob `json:"data"`
}

// JSONNote is a private note.
type JSONNote struct {
	ID        string `json:"id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
}

// JSONEvent is a timeline event: a status change, a label, a merge.
type JSONEvent struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
	At     string `json:"at"`
}
