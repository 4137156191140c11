package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// AddNote stores a private note on a conversation or a contact (one of the
// two IDs is set) and indexes it for search.
func (s *Store) AddNote(ctx context.Context, n *inbox.Note) error {
	return s.Tx(ctx, func(tx *sql.Tx) error { return s.AddNoteTx(ctx, tx, n) })
}

// AddNoteTx is AddNote inside tx.
func (s *Store) AddNoteTx(ctx context.Context, tx *sql.Tx, n *inbox.Note) error {
	if strings.TrimSpace(n.Body) == "" {
		return fmt.Errorf("store: a note needs text: %w", inbox.ErrInvalid)
	}
	if (n.ConversationID == "") == (n.ContactID == "") {
		return fmt.Errorf("store: a note belongs to a conversation or a contact: %w", inbox.ErrInvalid)
	}
	if n.ID == "" {
		n.ID = inbox.NewID(inbox.PrefixNote)
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now().UTC()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO notes (id, conversation_id, contact_id, body, created_at) VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?)`,
		n.ID, n.ConversationID, n.ContactID, n.Body, ms(n.CreatedAt))
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return fmt.Errorf("store: note target does not exist: %w", inbox.ErrNotFound)
		}
		return fmt.Errorf("store: add note: %w", err)
	}
	seq, _ := res.LastInsertId()
	if _, err := tx.ExecContext(ctx, `INSERT INTO note_fts (rowid, body) VALUES (?, ?)`, seq, n.Body); err != nil {
		return fmt.Errorf("store: index note: %w", err)
	}
	return nil
}

// Notes returns the notes of a conversation, or of a contact, oldest first.
func (s *Store) Notes(ctx context.Context, conversationID, contactID string) ([]inbox.Note, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, COALESCE(conversation_id, ''), COALESCE(contact_id, ''), body, created_at FROM notes
		WHERE (?1 <> '' AND conversation_id = ?1) OR (?2 <> '' AND contact_id = ?2) ORDER BY created_at, seq`, conversationID, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inbox.Note
	for rows.Next() {
		var n inbox.Note
		var at int64
		if err := rows.Scan(&n.ID, &n.ConversationID, &n.ContactID, &n.Body, &at); err != nil {
			return nil, err
		}
		n.CreatedAt = fromMS(at)
		out = append(out, n)
	}
	return out, rows.Err()
}
