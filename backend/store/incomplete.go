package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Incomplete is a message whose stored original lacks part of the message:
// its body (only the header was downloaded) or attachments left on the
// server. An export of it is not the message the server holds.
type Incomplete struct {
	ID             string
	ConversationID string
	Subject        string
	Date           time.Time
	// HeaderOnly is set when the body is missing; else Missing names the
	// attachments left on the server.
	HeaderOnly bool
	Missing    []string
}

// IncompleteMessages lists the messages of the given conversations stored
// without all of their original, oldest first. It reads the few such rows
// through their indexes, however large the selection.
func (s *Store) IncompleteMessages(ctx context.Context, conversationIDs []string) ([]Incomplete, error) {
	want := make(map[string]bool, len(conversationIDs))
	for _, id := range conversationIDs {
		want[id] = true
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.conversation_id, m.subject, m.sent_at, m.body_state,
		COALESCE((SELECT json_group_array(a.name) FROM attachments a WHERE a.seq = m.seq AND a.fetched = 0), '[]')
		FROM messages m WHERE m.seq IN (
			SELECT seq FROM messages WHERE body_state = 1 AND account_id IS NOT NULL
			UNION SELECT seq FROM attachments WHERE fetched = 0) AND m.body_state <> 0
		ORDER BY m.sent_at, m.seq`)
	if err != nil {
		return nil, fmt.Errorf("store: incomplete messages: %w", err)
	}
	defer rows.Close()
	var out []Incomplete
	for rows.Next() {
		var m Incomplete
		var sent int64
		var state int
		var names string
		if err := rows.Scan(&m.ID, &m.ConversationID, &m.Subject, &sent, &state, &names); err != nil {
			return nil, fmt.Errorf("store: incomplete messages: %w", err)
		}
		if !want[m.ConversationID] {
			continue
		}
		m.Date, m.HeaderOnly = fromMS(sent), state == BodyHeaderOnly
		if !m.HeaderOnly {
			json.Unmarshal([]byte(names), &m.Missing)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
