package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// These methods let an import put back records exactly as an export wrote
// them: with their own IDs and times, and without the timeline events that
// interactive changes record.

// MessageExistsTx reports whether a message with this ID is stored.
func (s *Store) MessageExistsTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	return exists(ctx, tx, `SELECT 1 FROM messages WHERE id = ?`, id)
}

// ConversationExistsTx reports whether a conversation with this ID exists.
func (s *Store) ConversationExistsTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	return exists(ctx, tx, `SELECT 1 FROM conversations WHERE id = ?`, id)
}

// ContactExistsTx reports whether a contact with this ID exists.
func (s *Store) ContactExistsTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	return exists(ctx, tx, `SELECT 1 FROM contacts WHERE id = ?`, id)
}

// IdentityOwnerTx returns the contact owning ch/address, or "".
func (s *Store) IdentityOwnerTx(ctx context.Context, tx *sql.Tx, ch inbox.Channel, address string) (string, error) {
	addr, err := inbox.NormalizeAddress(ch, address)
	if err != nil {
		return "", err
	}
	var id string
	err = tx.QueryRowContext(ctx, `SELECT contact_id FROM identities WHERE channel = ? AND address = ?`, string(ch), addr).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// MessagesByHeaderIDTx returns the IDs and content hashes (and, withRaw,
// the originals) of the messages carrying an RFC 5322 Message-ID (or a
// channel's message ID), for duplicate checks.
func (s *Store) MessagesByHeaderIDTx(ctx context.Context, tx *sql.Tx, messageID string, withRaw bool) ([]inbox.Message, error) {
	raw := `'', 0, NULL`
	if withRaw {
		raw = `COALESCE(r.compression, ''), COALESCE(r.size, 0), r.data`
	}
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.content_hash, `+raw+`
		FROM messages m LEFT JOIN message_raw r ON r.seq = m.seq WHERE m.message_id = ? AND m.message_id <> ''`, messageID)
	if err != nil {
		return nil, fmt.Errorf("store: messages by Message-ID: %w", err)
	}
	defer rows.Close()
	var out []inbox.Message
	for rows.Next() {
		var m inbox.Message
		var comp string
		var size int
		var data []byte
		if err := rows.Scan(&m.ID, &m.ContentHash, &comp, &size, &data); err != nil {
			return nil, err
		}
		if comp != "" {
			if m.Raw, err = decompress(comp, data, size); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// HasContentHashTx reports whether a message with this content hash is
// stored.
func (s *Store) HasContentHashTx(ctx context.Context, tx *sql.Tx, hash string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	// The second term lets SQLite use the partial index messages_hash.
	return exists(ctx, tx, `SELECT 1 FROM messages WHERE content_hash = ? AND content_hash <> ''`, hash)
}

// PutConversationLabelTx puts a label on a conversation without recording a
// timeline event (the imported events already tell the story).
func (s *Store) PutConversationLabelTx(ctx context.Context, tx *sql.Tx, conversationID, labelID string) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO conversation_labels (conversation_id, label_id) VALUES (?, ?)`, conversationID, labelID)
	return err
}

// PutEventTx stores a timeline event with its own ID and time; an event
// already stored is left alone.
func (s *Store) PutEventTx(ctx context.Context, tx *sql.Tx, e inbox.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO events (id, conversation_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)`,
		e.ID, e.ConversationID, e.Kind, e.Detail, ms(e.At))
	return err
}

// NoteExistsTx reports whether a note with this ID is stored.
func (s *Store) NoteExistsTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	return exists(ctx, tx, `SELECT 1 FROM notes WHERE id = ?`, id)
}

func exists(ctx context.Context, tx *sql.Tx, q string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// HashesByHeaderIDTx returns the content hashes of the stored messages
// carrying each of these RFC 5322 Message-IDs (or channel message IDs):
// the duplicate checks of a whole import batch in a few queries rather
// than one per message. A Message-ID no stored message carries is absent.
func (s *Store) HashesByHeaderIDTx(ctx context.Context, tx *sql.Tx, messageIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	err := inBatches(messageIDs, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT message_id, content_hash FROM messages WHERE message_id IN (`+in+`) AND message_id <> ''`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var mid, hash string
			if err := rows.Scan(&mid, &hash); err != nil {
				return err
			}
			out[mid] = append(out[mid], hash)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: messages by Message-ID: %w", err)
	}
	return out, nil
}

// StoredMessageIDsTx returns which of these message IDs are stored.
func (s *Store) StoredMessageIDsTx(ctx context.Context, tx *sql.Tx, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := inBatches(ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM messages WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: messages by ID: %w", err)
	}
	return out, nil
}

// inBatches calls fn with IN lists of at most 512 values, each padded to a
// power of two by repeating its last value, so that the statement cache
// holds ten shapes of a query rather than one per list length.
func inBatches(values []string, fn func(in string, args []any) error) error {
	for start := 0; start < len(values); start += 512 {
		part := values[start:min(start+512, len(values))]
		n := 1
		for n < len(part) {
			n *= 2
		}
		args := make([]any, n)
		for i := range args {
			args[i] = part[min(i, len(part)-1)]
		}
		if err := fn(inPlaceholders(n), args); err != nil {
			return err
		}
	}
	return nil
}
