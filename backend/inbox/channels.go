package inbox

import "time"

// DeliveryState is where an outgoing chat message stands.
type DeliveryState string

// Delivery states.
const (
	DeliverySending DeliveryState = "sending"
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"
)

// Delivery is the fate of one outgoing chat message.
type Delivery struct {
	MessageID string
	AccountID string
	State     DeliveryState
	// RemoteID is the channel's ID of the sent message.
	RemoteID string
	// Error says why it failed, and what to do.
	Error     string
	Attempts  int
	UpdatedAt time.Time
}

// SuggestionReason says why two contacts may be one customer.
type SuggestionReason string

// Suggestion reasons.
const (
	// ReasonSamePhone: the same phone number on two channels.
	ReasonSamePhone SuggestionReason = "same-phone"
	// ReasonSameEmail: the same email address on two channels.
	ReasonSameEmail SuggestionReason = "same-email"
	// ReasonClaimed: the customer wrote an address in a chat, or shared a
	// contact card, that belongs to another contact.
	ReasonClaimed SuggestionReason = "claimed"
)

// MergeSuggestion proposes that two contacts are one customer. Tidings never
// merges on its own; the owner accepts or dismisses.
type MergeSuggestion struct {
	ID       string
	ContactA string
	ContactB string
	Reason   SuggestionReason
	// Detail is the evidence: the shared address, the chat message.
	Detail      string
	CreatedAt   time.Time
	DismissedAt time.Time
	// MergeID is set once accepted, for undo.
	MergeID string
}

// Claim is an identity a customer showed without the channel proving it.
type Claim struct {
	ContactID string
	Channel   Channel
	Address   string
	MessageID string
	At        time.Time
}
