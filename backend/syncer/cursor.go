package syncer

import (
	"encoding/json"
)

// cursor is a folder's sync position, stored as JSON in sync_cursors under
// the scope "imap:FOLDER". It is written in the same transaction as the
// messages and flags it covers.
type cursor struct {
	UIDValidity   uint32 `json:"uidvalidity"`
	UIDNext       uint32 `json:"uidnext"`
	HighestModSeq uint64 `json:"highestmodseq,omitempty"`
	// Complete is set once every message below UIDNext is stored and the
	// flags are merged as of HighestModSeq.
	Complete bool `json:"complete"`
}

func scope(folder string) string { return "imap:" + folder }

func parseCursor(s string) cursor {
	var c cursor
	if s != "" {
		json.Unmarshal([]byte(s), &c)
	}
	return c
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}
