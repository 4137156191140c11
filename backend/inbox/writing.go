package inbox

import "time"

// ID prefixes of the composer's own records.
const (
	PrefixCanned    = "cr"
	PrefixDraftFile = "df"
)

// CannedReply is a saved answer the owner inserts in the composer. Its body
// may hold fields such as {first_name}, filled from the customer and the
// conversation when inserted (see backend/canned).
type CannedReply struct {
	ID        string
	Name      string
	Body      string
	UpdatedAt time.Time
}

// DraftAttachment is a file attached to an unsent composer, stored with the
// draft so that it survives a crash like the text.
type DraftAttachment struct {
	ID          string
	DraftKey    string
	Name        string
	ContentType string
	Size        int64
	// Data is empty when listed without contents.
	Data      []byte
	CreatedAt time.Time
}
