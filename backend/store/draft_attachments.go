package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// AddDraftAttachment stores a file attached to the draft a.DraftKey.
func (s *Store) AddDraftAttachment(ctx context.Context, a *inbox.DraftAttachment) error {
	if a.DraftKey == "" || strings.TrimSpace(a.Name) == "" {
		return fmt.Errorf("store: a draft attachment needs a draft and a file name: %w", inbox.ErrInvalid)
	}
	if a.ID == "" {
		a.ID = inbox.NewID(inbox.PrefixDraftFile)
	}
	if a.ContentType == "" {
		a.ContentType = "application/octet-stream"
	}
	a.Size = int64(len(a.Data))
	a.CreatedAt = s.now().UTC()
	data := a.Data
	if data == nil {
		data = []byte{}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO draft_attachments (id, draft_key, name, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.DraftKey, a.Name, a.ContentType, a.Size, data, ms(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: add draft attachment: %w", err)
	}
	return nil
}

// DraftAttachments lists a draft's files in the order they were added, with
// their contents when withData is set.
func (s *Store) DraftAttachments(ctx context.Context, draftKey string, withData bool) ([]inbox.DraftAttachment, error) {
	data := `x''`
	if withData {
		data = `data`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, draft_key, name, content_type, size, `+data+`, created_at FROM draft_attachments
		WHERE draft_key = ? ORDER BY created_at, rowid`, draftKey)
	if err != nil {
		return nil, fmt.Errorf("store: draft attachments: %w", err)
	}
	defer rows.Close()
	var out []inbox.DraftAttachment
	for rows.Next() {
		var a inbox.DraftAttachment
		var at int64
		if err := rows.Scan(&a.ID, &a.DraftKey, &a.Name, &a.ContentType, &a.Size, &a.Data, &at); err != nil {
			return nil, err
		}
		if !withData {
			a.Data = nil
		}
		a.CreatedAt = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// DraftAttachment returns one draft file without its contents.
func (s *Store) DraftAttachment(ctx context.Context, id string) (inbox.DraftAttachment, error) {
	var a inbox.DraftAttachment
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT id, draft_key, name, content_type, size, created_at FROM draft_attachments WHERE id = ?`, id).
		Scan(&a.ID, &a.DraftKey, &a.Name, &a.ContentType, &a.Size, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: draft attachment %s: %w", id, inbox.ErrNotFound)
	}
	a.CreatedAt = fromMS(at)
	return a, err
}

// DeleteDraftAttachment removes one file from a draft.
func (s *Store) DeleteDraftAttachment(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM draft_attachments WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete draft attachment: %w", err)
	}
	return mustAffect(res, "draft attachment", id)
}

// DeleteDraftAttachments removes every file of a draft (sent or
// discarded).
func (s *Store) DeleteDraftAttachments(ctx context.Context, draftKey string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM draft_attachments WHERE draft_key = ?`, draftKey)
	if err != nil {
		return fmt.Errorf("store: delete draft attachments: %w", err)
	}
	return nil
}

// MoveDraftAttachments hands a draft's files to another draft (the reply
// moved to another of the customer's channels).
func (s *Store) MoveDraftAttachments(ctx context.Context, fromKey, toKey string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE draft_attachments SET draft_key = ? WHERE draft_key = ?`, toKey, fromKey); err != nil {
		return fmt.Errorf("store: move draft attachments: %w", err)
	}
	return nil
}
