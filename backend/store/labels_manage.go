package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// CreateLabel adds a label that no conversation carries yet (the settings
// screen), with an optional colour. A label of that name, in any case,
// is a conflict.
func (s *Store) CreateLabel(ctx context.Context, name, color string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("store: a label needs a name: %w", inbox.ErrInvalid)
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if err := labelFree(ctx, tx, name, ""); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO labels (id, name, color) VALUES (?, ?, ?)`, inbox.NewID(inbox.PrefixLabel), name, color)
		return err
	})
}

// RenameLabel gives a label a new name; its conversations keep it. A
// change of case only is allowed; a name another label has is a conflict.
// Each conversation's timeline records the rename.
func (s *Store) RenameLabel(ctx context.Context, from, to string) error {
	to = strings.TrimSpace(to)
	if to == "" {
		return fmt.Errorf("store: a label needs a name: %w", inbox.ErrInvalid)
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		id, err := labelID(ctx, tx, from)
		if err != nil {
			return err
		}
		if err := labelFree(ctx, tx, to, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE labels SET name = ? WHERE id = ?`, to, id); err != nil {
			return fmt.Errorf("store: rename label: %w", err)
		}
		return labelEvents(ctx, tx, s, id, from+" → "+to)
	})
}

// DeleteLabel removes a label and takes it off every conversation (each
// timeline records it). It returns how many conversations carried it.
func (s *Store) DeleteLabel(ctx context.Context, name string) (int, error) {
	var n int
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		id, err := labelID(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM conversation_labels WHERE label_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if err := labelEvents(ctx, tx, s, id, "-"+name); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM conversation_labels WHERE label_id = ?`, `DELETE FROM labels WHERE id = ?`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("store: delete label: %w", err)
			}
		}
		return nil
	})
	return n, err
}

func labelID(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM labels WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: label %q: %w", name, inbox.ErrNotFound)
	}
	return id, err
}

// labelFree fails when another label than self already has name (labels
// compare without case).
func labelFree(ctx context.Context, tx *sql.Tx, name, self string) error {
	var other string
	err := tx.QueryRowContext(ctx, `SELECT name FROM labels WHERE name = ? AND id <> ?`, name, self).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("store: a label named %q exists already: %w", other, inbox.ErrConflict)
}

// labelEvents adds a "label" event with detail to every conversation that
// carries the label.
func labelEvents(ctx context.Context, tx *sql.Tx, s *Store, labelID, detail string) error {
	ids, err := stringColumn(ctx, tx, `SELECT conversation_id FROM conversation_labels WHERE label_id = ?`, labelID)
	if err != nil {
		return err
	}
	for _, c := range ids {
		if err := s.AddEventTx(ctx, tx, c, "label", detail); err != nil {
			return err
		}
	}
	return nil
}
