package store

import (
	"context"
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
