package store

import (
	"context"
	"database/sql"

	"tidings/backend/inbox"
)

// AddEventTx records something that happened to a conversation.
func (s *Store) AddEventTx(ctx context.Context, tx *sql.Tx, conversationID, kind, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO events (id, conversation_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)`,
		inbox.NewID(inbox.PrefixEvent), conversationID, kind, detail, s.now().UnixMilli())
	return err
}

// Events returns a conversation's timeline events, oldest first.
func (s *Store) Events(ctx context.Context, conversationID string) ([]inbox.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, conversation_id, kind, detail, at FROM events WHERE conversation_id = ? ORDER BY at, id`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inbox.Event
	for rows.Next() {
		var e inbox.Event
		var at int64
		if err := rows.Scan(&e.ID, &e.ConversationID, &e.Kind, &e.Detail, &at); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
