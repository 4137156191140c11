package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

const accountColumns = `id, channel, name, address, config, created_at, last_sync_at, last_error`

func scanAccount(sc interface{ Scan(...any) error }) (inbox.Account, error) {
	var a inbox.Account
	var ch, cfg string
	var created, synced int64
	err := sc.Scan(&a.ID, &ch, &a.Name, &a.Address, &cfg, &created, &synced, &a.LastError)
	a.Channel = inbox.Channel(ch)
	a.Config = []byte(cfg)
	a.CreatedAt, a.LastSyncAt = fromMS(created), fromMS(synced)
	return a, err
}

// CreateAccount stores a new account. Its name must be unique.
func (s *Store) CreateAccount(ctx context.Context, a *inbox.Account) error {
	if a.ID == "" {
		a.ID = inbox.NewID(inbox.PrefixAccount)
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now().UTC()
	}
	if len(a.Config) == 0 {
		a.Config = []byte("{}")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, string(a.Channel), a.Name, a.Address, string(a.Config), ms(a.CreatedAt), ms(a.LastSyncAt), a.LastError)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("store: an account named %q already exists: %w", a.Name, inbox.ErrConflict)
		}
		return fmt.Errorf("store: create account: %w", err)
	}
	return nil
}

// Accounts lists every account by name.
func (s *Store) Accounts(ctx context.Context) ([]inbox.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	defer rows.Close()
	var out []inbox.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns the account with the given ID.
func (s *Store) Account(ctx context.Context, id string) (inbox.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: account %s: %w", id, inbox.ErrNotFound)
	}
	return a, err
}

// AccountByName returns the account with the given name.
func (s *Store) AccountByName(ctx context.Context, name string) (inbox.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: no account named %q: %w", name, inbox.ErrNotFound)
	}
	return a, err
}

// UpdateAccountConfig replaces an account's address and settings.
func (s *Store) UpdateAccountConfig(ctx context.Context, id, address string, config []byte) error {
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET address = ?, config = ? WHERE id = ?`, address, string(config), id)
	if err != nil {
		return fmt.Errorf("store: update account: %w", err)
	}
	return mustAffect(res, "account", id)
}

// SetAccountSync records the outcome of a sync: when, and the error if any.
func (s *Store) SetAccountSync(ctx context.Context, id string, errText string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE accounts SET last_sync_at = ?, last_error = ? WHERE id = ?`,
		s.now().UnixMilli(), errText, id)
	return err
}

// DeleteAccount removes an account's settings and cursors. Its conversations
// and messages stay: Tidings never deletes history behind the owner's back.
func (s *Store) DeleteAccount(ctx context.Context, id string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`UPDATE conversations SET account_id = NULL WHERE account_id = ?`,
			`UPDATE messages SET account_id = NULL WHERE account_id = ?`,
			`DELETE FROM outbox WHERE account_id = ? AND state <> 'sent'`,
			`DELETE FROM accounts WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("store: delete account: %w", err)
			}
		}
		return nil
	})
}

// Cursor returns the sync cursor saved for an account and scope, or "" if
// none was saved yet.
func (s *Store) Cursor(ctx context.Context, accountID, scope string) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE account_id = ? AND scope = ?`, accountID, scope).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, err
}

// Cursors returns every cursor of an account by scope.
func (s *Store) Cursors(ctx context.Context, accountID string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT scope, cursor FROM sync_cursors WHERE account_id = ?`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetCursorTx saves a cursor inside tx, so it commits with the messages it
// covers.
func (s *Store) SetCursorTx(ctx context.Context, tx *sql.Tx, accountID, scope, cursor string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_cursors (account_id, scope, cursor, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, scope) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
		accountID, scope, cursor, s.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("store: save cursor: %w", err)
	}
	return nil
}

func mustAffect(res sql.Result, what, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("store: %s %s: %w", what, id, inbox.ErrNotFound)
	}
	return nil
}
