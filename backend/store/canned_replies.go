package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// maxCannedReply bounds a canned reply's body.
const maxCannedReply = 64 << 10

// CannedReplies lists the canned replies by name.
func (s *Store) CannedReplies(ctx context.Context) ([]inbox.CannedReply, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, body, updated_at FROM canned_replies ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("store: canned replies: %w", err)
	}
	defer rows.Close()
	var out []inbox.CannedReply
	for rows.Next() {
		var c inbox.CannedReply
		var at int64
		if err := rows.Scan(&c.ID, &c.Name, &c.Body, &at); err != nil {
			return nil, err
		}
		c.UpdatedAt = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CannedReply returns one canned reply.
func (s *Store) CannedReply(ctx context.Context, id string) (inbox.CannedReply, error) {
	var c inbox.CannedReply
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT id, name, body, updated_at FROM canned_replies WHERE id = ?`, id).Scan(&c.ID, &c.Name, &c.Body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("store: canned reply %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("store: canned reply: %w", err)
	}
	c.UpdatedAt = fromMS(at)
	return c, nil
}

// SaveCannedReply creates a canned reply (empty ID) or replaces one. Names
// are unique regardless of case.
func (s *Store) SaveCannedReply(ctx context.Context, c *inbox.CannedReply) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Body = strings.ReplaceAll(c.Body, "\r\n", "\n")
	if c.Name == "" || strings.TrimSpace(c.Body) == "" {
		return fmt.Errorf("store: a canned reply needs a name and text: %w", inbox.ErrInvalid)
	}
	if len(c.Name) > 200 || len(c.Body) > maxCannedReply {
		return fmt.Errorf("store: canned reply %q is too long (name up to 200 bytes, text up to %d): %w", c.Name, maxCannedReply, inbox.ErrInvalid)
	}
	c.UpdatedAt = s.now().UTC()
	var res sql.Result
	var err error
	if c.ID == "" {
		c.ID = inbox.NewID(inbox.PrefixCanned)
		res, err = s.db.ExecContext(ctx, `INSERT INTO canned_replies (id, name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			c.ID, c.Name, c.Body, ms(c.UpdatedAt), ms(c.UpdatedAt))
	} else {
		res, err = s.db.ExecContext(ctx, `UPDATE canned_replies SET name = ?, body = ?, updated_at = ? WHERE id = ?`, c.Name, c.Body, ms(c.UpdatedAt), c.ID)
	}
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("store: a canned reply named %q exists already: %w", c.Name, inbox.ErrConflict)
		}
		return fmt.Errorf("store: save canned reply: %w", err)
	}
	return mustAffect(res, "canned reply", c.ID)
}

// DeleteCannedReply removes a canned reply.
func (s *Store) DeleteCannedReply(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM canned_replies WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete canned reply: %w", err)
	}
	return mustAffect(res, "canned reply", id)
}
