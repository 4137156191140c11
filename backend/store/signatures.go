package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// maxSignature bounds a signature: a few lines of plain text, not a letter.
const maxSignature = 4 << 10

// Signature returns an account's signature, "" when none is set.
func (s *Store) Signature(ctx context.Context, accountID string) (string, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM signatures WHERE account_id = ?`, accountID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: signature: %w", err)
	}
	return body, nil
}

// Signatures returns every account's signature by account ID.
func (s *Store) Signatures(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account_id, body FROM signatures`)
	if err != nil {
		return nil, fmt.Errorf("store: signatures: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, err
		}
		out[id] = body
	}
	return out, rows.Err()
}

// SetSignature stores an account's plain-text signature; an empty one
// removes it. Line endings become "\n" and trailing blank lines go.
func (s *Store) SetSignature(ctx context.Context, accountID, body string) error {
	body = strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), " \t\n")
	if len(body) > maxSignature {
		return fmt.Errorf("store: the signature has %d bytes; keep it under %d: %w", len(body), maxSignature, inbox.ErrInvalid)
	}
	if body == "" {
		_, err := s.db.ExecContext(ctx, `DELETE FROM signatures WHERE account_id = ?`, accountID)
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO signatures (account_id, body, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, accountID, body, ms(s.now()))
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return fmt.Errorf("store: no account %s for a signature: %w", accountID, inbox.ErrNotFound)
	}
	return err
}
