package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Every change of a message's read, flagged or answered state bumps its
// account's row in flag_versions (a trigger, migration 0010), whoever made
// it: the window, the command line in another process, or a sync applying
// the server's flags. A sync loop that compares the version with the one it
// last saw knows at once, and cheaply, that the owner changed something to
// send to the server.

// FlagVersion returns an account's flag version (0 before any change).
func (s *Store) FlagVersion(ctx context.Context, accountID string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM flag_versions WHERE account_id = ?`, accountID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: flag version: %w", err)
	}
	return v, nil
}

// FlagVersions returns every account's flag version, by account ID.
func (s *Store) FlagVersions(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account_id, version FROM flag_versions`)
	if err != nil {
		return nil, fmt.Errorf("store: flag versions: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("store: flag versions: %w", err)
		}
		out[id] = v
	}
	return out, rows.Err()
}
