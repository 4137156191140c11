package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// Setting returns a stored setting, or "" when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting stores a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SavedSearches lists the saved searches by name.
func (s *Store) SavedSearches(ctx context.Context) ([]inbox.SavedSearch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inbox.SavedSearch
	for rows.Next() {
		var v inbox.SavedSearch
		if err := rows.Scan(&v.ID, &v.Name, &v.Query); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SaveSearch stores a query as a sidebar view.
func (s *Store) SaveSearch(ctx context.Context, v *inbox.SavedSearch) error {
	if v.Name == "" || v.Query == "" {
		return fmt.Errorf("store: a saved search needs a name and a query: %w", inbox.ErrInvalid)
	}
	if v.ID == "" {
		v.ID = inbox.NewID(inbox.PrefixSearch)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO saved_searches (id, name, query, created_at) VALUES (?, ?, ?, ?)`, v.ID, v.Name, v.Query, s.now().UnixMilli())
	return err
}

// DeleteSavedSearch removes a saved search.
func (s *Store) DeleteSavedSearch(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM saved_searches WHERE id = ?`, id)
	if err != nil {
		return err
	}
	return mustAffect(res, "saved search", id)
}
