package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// AccountHistory is what an account brought into the store: it stays when
// the account is removed (DeleteAccount).
type AccountHistory struct {
	Conversations int `json:"conversations"`
	Messages      int `json:"messages"`
}

// AccountHistory counts an account's conversations and messages.
func (s *Store) AccountHistory(ctx context.Context, id string) (AccountHistory, error) {
	var h AccountHistory
	if _, err := s.Account(ctx, id); err != nil {
		return h, err
	}
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM conversations WHERE account_id = ?1),
		(SELECT count(*) FROM messages WHERE account_id = ?1)`, id).Scan(&h.Conversations, &h.Messages)
	if err != nil {
		return h, fmt.Errorf("store: account history: %w", err)
	}
	return h, nil
}

// RenameAccount changes an account's display name, which must stay unique.
func (s *Store) RenameAccount(ctx context.Context, id, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("store: an account needs a name: %w", inbox.ErrInvalid)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("store: an account named %q already exists: %w", name, inbox.ErrConflict)
		}
		return fmt.Errorf("store: rename account: %w", err)
	}
	return mustAffect(res, "account", id)
}

// DeleteAccountWithHistory removes an account and everything it brought
// in, in one transaction: its conversations with every message (original
// bytes, attachments, server locations and full-text rows included), their
// notes, timelines, labels and outgoing mail, its messages filed in other
// conversations (whose counters are recomputed), and its settings and
// cursors. Contacts stay. It returns what was deleted.
func (s *Store) DeleteAccountWithHistory(ctx context.Context, id string) (AccountHistory, error) {
	var h AccountHistory
	if _, err := s.Account(ctx, id); err != nil {
		return h, err
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		convs, err := stringColumn(ctx, tx, `SELECT id FROM conversations WHERE account_id = ?`, id)
		if err != nil {
			return err
		}
		own := map[string]bool{}
		for _, c := range convs {
			own[c] = true
		}
		rows, err := tx.QueryContext(ctx, `SELECT seq, conversation_id FROM messages
			WHERE account_id = ?1 OR conversation_id IN (SELECT id FROM conversations WHERE account_id = ?1)`, id)
		if err != nil {
			return fmt.Errorf("store: delete account history: %w", err)
		}
		var seqs []int64
		touched := map[string]bool{}
		for rows.Next() {
			var seq int64
			var conv string
			if err := rows.Scan(&seq, &conv); err != nil {
				rows.Close()
				return err
			}
			seqs = append(seqs, seq)
			if !own[conv] {
				touched[conv] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := deleteMessagesTx(ctx, tx, seqs); err != nil {
			return fmt.Errorf("store: delete account history: %w", err)
		}
		noteSeqs, err := int64Column(ctx, tx, `SELECT seq FROM notes WHERE conversation_id IN (SELECT id FROM conversations WHERE account_id = ?)`, id)
		if err != nil {
			return err
		}
		if err := deleteNotesTx(ctx, tx, noteSeqs); err != nil {
			return fmt.Errorf("store: delete account history: %w", err)
		}
		for _, q := range []string{
			`DELETE FROM outbox WHERE account_id = ?1 OR conversation_id IN (SELECT id FROM conversations WHERE account_id = ?1)`,
			`DELETE FROM conversation_merges WHERE into_id IN (SELECT id FROM conversations WHERE account_id = ?1)`,
			`DELETE FROM ingest_rejects WHERE account_id = ?1`,
			`DELETE FROM conversations WHERE account_id = ?1`,
			`DELETE FROM accounts WHERE id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("store: delete account history: %w", err)
			}
		}
		for c := range touched {
			if err := s.refreshConversationTx(ctx, tx, c); err != nil {
				return err
			}
		}
		h = AccountHistory{Conversations: len(convs), Messages: len(seqs)}
		return nil
	})
	return h, err
}

// deleteMessagesTx deletes messages by row number with their full-text
// rows (the index is contentless: its rows go by hand); their original
// bytes, attachments and locations follow by cascade.
func deleteMessagesTx(ctx context.Context, tx *sql.Tx, seqs []int64) error {
	for _, seq := range seqs {
		if _, err := tx.ExecContext(ctx, `DELETE FROM message_fts WHERE rowid = ?`, seq); err != nil {
			return fmt.Errorf("unindex message: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE seq = ?`, seq); err != nil {
			return fmt.Errorf("delete message: %w", err)
		}
	}
	return nil
}

// deleteNotesTx deletes notes by row number with their full-text rows.
func deleteNotesTx(ctx context.Context, tx *sql.Tx, seqs []int64) error {
	for _, seq := range seqs {
		if _, err := tx.ExecContext(ctx, `DELETE FROM note_fts WHERE rowid = ?`, seq); err != nil {
			return fmt.Errorf("unindex note: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notes WHERE seq = ?`, seq); err != nil {
			return fmt.Errorf("delete note: %w", err)
		}
	}
	return nil
}
