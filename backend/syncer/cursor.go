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
	// Suspect lists the UIDs of a fetch the connection died in (Dovecot
	// drops the connection on a message it cannot read): the next sync
	// fetches them one at a time to find the culprit.
	Suspect []uint32 `json:"suspect,omitempty"`
	// Struck lists suspects whose fetch alone lost the connection once: a
	// second time they are refused (once could be the network).
	Struck []uint32 `json:"struck,omitempty"`
	// Refused maps UIDs the server could not serve even alone to when
	// (Unix seconds); they are skipped for a day, then tried again.
	Refused map[uint32]int64 `json:"refused,omitempty"`
	// NoSizes is set when asking for message sizes killed the connection:
	// the next sync plans batches by count only.
	NoSizes bool `json:"nosizes,omitempty"`
	// NoHeads is set when fetching headers first killed the connection:
	// until the folder completes, bodies are fetched without that pass, so
	// the suspects can be isolated.
	NoHeads bool `json:"noheads,omitempty"`
	// Local is the account's read-state fingerprint after the last sync;
	// FlagCheck when local flags were last compared with the server's.
	Local     string `json:"local,omitempty"`
	FlagCheck int64  `json:"flagcheck,omitempty"`
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
