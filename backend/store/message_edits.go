package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// EditMessageTx replaces a message's text after the sender edited it on
// their channel (a chat message), re-indexes it and records the edit in its
// conversation's timeline. It returns the conversation and whether the text
// changed.
func (s *Store) EditMessageTx(ctx context.Context, tx *sql.Tx, id, text string) (string, bool, error) {
	var seq int64
	var conv, old, subject, fromName, fromAddr, to, cc, bcc string
	err := tx.QueryRowContext(ctx, `SELECT seq, conversation_id, body_text, subject, from_name, from_addr, to_json, cc_json, bcc_json
		FROM messages WHERE id = ?`, id).Scan(&seq, &conv, &old, &subject, &fromName, &fromAddr, &to, &cc, &bcc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil || old == text {
		return "", false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET body_text = ? WHERE seq = ?`, text, seq); err != nil {
		return "", false, fmt.Errorf("store: edit message: %w", err)
	}
	m := inbox.Message{From: inbox.Address{Name: fromName, Address: fromAddr}}
	json.Unmarshal([]byte(to), &m.To)
	json.Unmarshal([]byte(cc), &m.Cc)
	json.Unmarshal([]byte(bcc), &m.Bcc)
	var files sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT group_concat(name, ' ') FROM attachments WHERE seq = ?`, seq).Scan(&files); err != nil {
		return "", false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM message_fts WHERE rowid = ?`, seq); err != nil {
		return "", false, fmt.Errorf("store: re-index message: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO message_fts (rowid, subject, body, people, files) VALUES (?, ?, ?, ?, ?)`,
		seq, subject, text, peopleText(&m), files.String); err != nil {
		return "", false, fmt.Errorf("store: re-index message: %w", err)
	}
	if err := s.refreshConversationTx(ctx, tx, conv); err != nil {
		return "", false, err
	}
	detail := "message edited; it said: " + old
	if len(detail) > 300 {
		detail = detail[:300] + "…"
	}
	return conv, true, s.AddEventTx(ctx, tx, conv, "edited", detail)
}
