package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// CreateContactTx stores a contact and its identities inside tx.
func (s *Store) CreateContactTx(ctx context.Context, tx *sql.Tx, c *inbox.Contact) error {
	if c.ID == "" {
		c.ID = inbox.NewID(inbox.PrefixContact)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now().UTC()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, name, notes, created_at) VALUES (?, ?, ?, ?)`,
		c.ID, c.Name, c.Notes, ms(c.CreatedAt)); err != nil {
		return fmt.Errorf("store: create contact: %w", err)
	}
	for i := range c.Identities {
		c.Identities[i].ContactID = c.ID
		if err := s.AddIdentityTx(ctx, tx, &c.Identities[i]); err != nil {
			return err
		}
	}
	return nil
}

// CreateContact stores a contact and its identities.
func (s *Store) CreateContact(ctx context.Context, c *inbox.Contact) error {
	return s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateContactTx(ctx, tx, c) })
}

// AddIdentityTx attaches an identity to its contact. The address is
// normalized; an address already owned by another contact is a conflict.
func (s *Store) AddIdentityTx(ctx context.Context, tx *sql.Tx, id *inbox.Identity) error {
	addr, err := inbox.NormalizeAddress(id.Channel, id.Address)
	if err != nil {
		return err
	}
	id.Address = addr
	if id.ID == "" {
		id.ID = inbox.NewID(inbox.PrefixIdentity)
	}
	var owner string
	err = tx.QueryRowContext(ctx, `SELECT contact_id FROM identities WHERE channel = ? AND address = ?`, string(id.Channel), addr).Scan(&owner)
	switch {
	case err == nil && owner == id.ContactID:
		return nil
	case err == nil:
		return fmt.Errorf("store: %s %s already belongs to contact %s: %w", id.Channel, addr, owner, inbox.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO identities (id, contact_id, channel, address, display) VALUES (?, ?, ?, ?, ?)`,
		id.ID, id.ContactID, string(id.Channel), addr, id.Display)
	if err != nil {
		return fmt.Errorf("store: add identity: %w", err)
	}
	return nil
}

// ContactForIdentityTx finds the contact owning ch/address, creating one
// named display when there is none. Ingest uses it for every sender.
func (s *Store) ContactForIdentityTx(ctx context.Context, tx *sql.Tx, ch inbox.Channel, address, display string) (string, error) {
	addr, err := inbox.NormalizeAddress(ch, address)
	if err != nil {
		return "", err
	}
	var id string
	err = tx.QueryRowContext(ctx, `SELECT contact_id FROM identities WHERE channel = ? AND address = ?`, string(ch), addr).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	c := inbox.Contact{Name: display, Identities: []inbox.Identity{{Channel: ch, Address: addr, Display: display}}}
	if err := s.CreateContactTx(ctx, tx, &c); err != nil {
		return "", err
	}
	return c.ID, nil
}

// Contact returns a contact with its identities.
func (s *Store) Contact(ctx context.Context, id string) (inbox.Contact, error) {
	cs, err := s.contacts(ctx, s.db, []string{id})
	if err != nil {
		return inbox.Contact{}, err
	}
	c, ok := cs[id]
	if !ok {
		return c, fmt.Errorf("store: contact %s: %w", id, inbox.ErrNotFound)
	}
	return c, nil
}

// ContactByIdentity returns the contact that owns ch/address.
func (s *Store) ContactByIdentity(ctx context.Context, ch inbox.Channel, address string) (inbox.Contact, error) {
	addr, err := inbox.NormalizeAddress(ch, address)
	if err != nil {
		return inbox.Contact{}, err
	}
	var id string
	err = s.db.QueryRowContext(ctx, `SELECT contact_id FROM identities WHERE channel = ? AND address = ?`, string(ch), addr).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return inbox.Contact{}, fmt.Errorf("store: no contact with %s %s: %w", ch, addr, inbox.ErrNotFound)
	}
	if err != nil {
		return inbox.Contact{}, err
	}
	return s.Contact(ctx, id)
}

// Contacts lists every contact by name.
func (s *Store) Contacts(ctx context.Context) ([]inbox.Contact, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM contacts ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	m, err := s.contacts(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Contact, 0, len(ids))
	for _, id := range ids {
		out = append(out, m[id])
	}
	return out, nil
}

// contacts loads contacts and their identities by ID.
func (s *Store) contacts(ctx context.Context, q queryer, ids []string) (map[string]inbox.Contact, error) {
	out := make(map[string]inbox.Contact, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids)
	rows, err := q.QueryContext(ctx, `SELECT id, name, notes, created_at FROM contacts WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	for rows.Next() {
		var c inbox.Contact
		var created int64
		if err := rows.Scan(&c.ID, &c.Name, &c.Notes, &created); err != nil {
			rows.Close()
			return nil, err
		}
		c.CreatedAt = fromMS(created)
		out[c.ID] = c
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, contact_id, channel, address, display FROM identities WHERE contact_id IN (`+in+`) ORDER BY channel, address`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: identities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i inbox.Identity
		var ch string
		if err := rows.Scan(&i.ID, &i.ContactID, &ch, &i.Address, &i.Display); err != nil {
			return nil, err
		}
		i.Channel = inbox.Channel(ch)
		c := out[i.ContactID]
		c.Identities = append(c.Identities, i)
		out[i.ContactID] = c
	}
	return out, rows.Err()
}

// UpdateContact changes a contact's name and notes.
func (s *Store) UpdateContact(ctx context.Context, id, name, notes string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE contacts SET name = ?, notes = ? WHERE id = ?`, name, notes, id)
	if err != nil {
		return fmt.Errorf("store: update contact: %w", err)
	}
	return mustAffect(res, "contact", id)
}

// MergeContacts moves every identity, conversation and note of mergeID onto
// keepID and removes mergeID. It returns the merge's ID, for UndoMerge.
func (s *Store) MergeContacts(ctx context.Context, keepID, mergeID string) (string, error) {
	if keepID == mergeID {
		return "", fmt.Errorf("store: cannot merge a contact into itself: %w", inbox.ErrInvalid)
	}
	id := inbox.NewID("mrg")
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		cs, err := s.contacts(ctx, tx, []string{keepID, mergeID})
		if err != nil {
			return err
		}
		keep, ok1 := cs[keepID]
		gone, ok2 := cs[mergeID]
		if !ok1 || !ok2 {
			return fmt.Errorf("store: merge: contact not found: %w", inbox.ErrNotFound)
		}
		var idents []string
		for _, i := range gone.Identities {
			idents = append(idents, i.ID)
		}
		convs, err := stringColumn(ctx, tx, `SELECT id FROM conversations WHERE contact_id = ?`, mergeID)
		if err != nil {
			return err
		}
		ij, _ := json.Marshal(nonNil(idents))
		cj, _ := json.Marshal(nonNil(convs))
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_merges (id, kept_id, merged_id, merged_name, merged_notes, identity_ids, conversation_ids, merged_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, keepID, mergeID, gone.Name, gone.Notes, string(ij), string(cj), s.now().UnixMilli()); err != nil {
			return err
		}
		name := keep.Name
		if name == "" {
			name = gone.Name
		}
		notes := keep.Notes
		if gone.Notes != "" {
			if notes != "" {
				notes += "\n\n"
			}
			notes += gone.Notes
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE identities SET contact_id = ? WHERE contact_id = ?`, []any{keepID, mergeID}},
			{`UPDATE conversations SET contact_id = ? WHERE contact_id = ?`, []any{keepID, mergeID}},
			{`UPDATE notes SET contact_id = ? WHERE contact_id = ?`, []any{keepID, mergeID}},
			{`UPDATE contacts SET name = ?, notes = ? WHERE id = ?`, []any{name, notes, keepID}},
			{`DELETE FROM contacts WHERE id = ?`, []any{mergeID}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("store: merge contacts: %w", err)
			}
		}
		return nil
	})
	return id, err
}

// UndoMerge restores the contact a merge removed, with the identities and
// conversations it had.
func (s *Store) UndoMerge(ctx context.Context, mergeID string) (string, error) {
	var restored string
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var keptID, name, notes, ij, cj string
		var undone int64
		err := tx.QueryRowContext(ctx, `SELECT kept_id, merged_id, merged_name, merged_notes, identity_ids, conversation_ids, undone_at
			FROM contact_merges WHERE id = ?`, mergeID).Scan(&keptID, &restored, &name, &notes, &ij, &cj, &undone)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: merge %s: %w", mergeID, inbox.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if undone != 0 {
			return fmt.Errorf("store: merge %s was already undone: %w", mergeID, inbox.ErrConflict)
		}
		var idents, convs []string
		json.Unmarshal([]byte(ij), &idents)
		json.Unmarshal([]byte(cj), &convs)
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, name, notes, created_at) VALUES (?, ?, ?, ?)`,
			restored, name, notes, s.now().UnixMilli()); err != nil {
			return err
		}
		for _, id := range idents {
			if _, err := tx.ExecContext(ctx, `UPDATE identities SET contact_id = ? WHERE id = ? AND contact_id = ?`, restored, id, keptID); err != nil {
				return err
			}
		}
		for _, id := range convs {
			if _, err := tx.ExecContext(ctx, `UPDATE conversations SET contact_id = ? WHERE id = ? AND contact_id = ?`, restored, id, keptID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE contact_merges SET undone_at = ? WHERE id = ?`, s.now().UnixMilli(), mergeID)
		return err
	})
	return restored, err
}

func stringColumn(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// inList returns "?, ?, ?" and the arguments for an IN clause.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	b := make([]byte, 0, len(ids)*3)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
		args[i] = id
	}
	return string(b), args
}
