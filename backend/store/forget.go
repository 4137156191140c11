package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// ForgetResult counts what ForgetContact deleted.
type ForgetResult struct {
	Conversations int `json:"conversations"`
	Messages      int `json:"messages"`
	Notes         int `json:"notes"`
	Identities    int `json:"identities"`
}

// ForgetContact deletes everything held on one contact, in one transaction:
// their conversations with every message (original bytes, attachments,
// server locations and full-text rows included), the notes on them and on
// their conversations (with their full-text rows), messages they sent into
// other conversations, their identities, merge records naming them, queued
// outgoing mail to them, and the contact itself. Nothing of any other
// contact is touched; conversations that lose a message get their counters
// recomputed.
func (s *Store) ForgetContact(ctx context.Context, contactID string) (ForgetResult, error) {
	var r ForgetResult
	err := s.Tx(ctx, func(tx *sql.Tx) error { return s.forgetTx(ctx, tx, contactID, &r) })
	return r, err
}

// ForgetPreview counts what ForgetContact would delete, exactly, by doing
// it in a transaction that is rolled back.
func (s *Store) ForgetPreview(ctx context.Context, contactID string) (ForgetResult, error) {
	var r ForgetResult
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return r, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	err = s.forgetTx(ctx, tx, contactID, &r)
	return r, err
}

func (s *Store) forgetTx(ctx context.Context, tx *sql.Tx, contactID string, r *ForgetResult) error {
	{
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM contacts WHERE id = ?`, contactID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: contact %s: %w", contactID, inbox.ErrNotFound)
			}
			return err
		}
		convs, err := stringColumn(ctx, tx, `SELECT id FROM conversations WHERE contact_id = ?`, contactID)
		if err != nil {
			return err
		}
		// Messages in their conversations, and inbound messages from one of
		// their identities in anyone else's.
		seqRows, err := tx.QueryContext(ctx, `SELECT m.seq, m.conversation_id FROM messages m
			WHERE m.conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?1)
			   OR (m.direction = 'in' AND EXISTS (SELECT 1 FROM identities i
			       WHERE i.contact_id = ?1 AND i.channel = m.channel AND i.address = m.from_addr))`, contactID)
		if err != nil {
			return fmt.Errorf("store: forget: %w", err)
		}
		var seqs []int64
		touched := map[string]bool{}
		own := map[string]bool{}
		for _, c := range convs {
			own[c] = true
		}
		for seqRows.Next() {
			var seq int64
			var conv string
			if err := seqRows.Scan(&seq, &conv); err != nil {
				seqRows.Close()
				return err
			}
			seqs = append(seqs, seq)
			if !own[conv] {
				touched[conv] = true
			}
		}
		seqRows.Close()
		if err := seqRows.Err(); err != nil {
			return err
		}
		if err := deleteMessagesTx(ctx, tx, seqs); err != nil {
			return fmt.Errorf("store: forget: %w", err)
		}
		r.Messages = len(seqs)
		noteSeqs, err := int64Column(ctx, tx, `SELECT seq FROM notes WHERE contact_id = ?1
			OR conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?1)`, contactID)
		if err != nil {
			return err
		}
		if err := deleteNotesTx(ctx, tx, noteSeqs); err != nil {
			return fmt.Errorf("store: forget: %w", err)
		}
		r.Notes = len(noteSeqs)
		for _, q := range []string{
			`DELETE FROM outbox WHERE conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?1)`,
			`DELETE FROM conversations WHERE contact_id = ?1`,
			`DELETE FROM contact_merges WHERE kept_id = ?1 OR merged_id = ?1`,
			`DELETE FROM identity_claims WHERE contact_id = ?1`,
			`DELETE FROM merge_suggestions WHERE contact_a = ?1 OR contact_b = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, contactID); err != nil {
				return fmt.Errorf("store: forget: %w", err)
			}
		}
		r.Conversations = len(convs)
		res, err := tx.ExecContext(ctx, `DELETE FROM identities WHERE contact_id = ?`, contactID)
		if err != nil {
			return fmt.Errorf("store: forget: identities: %w", err)
		}
		n, _ := res.RowsAffected()
		r.Identities = int(n)
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, contactID); err != nil {
			return fmt.Errorf("store: forget: contact: %w", err)
		}
		for conv := range touched {
			if err := s.refreshConversationTx(ctx, tx, conv); err != nil {
				return err
			}
		}
		return nil
	}
}

func int64Column(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
