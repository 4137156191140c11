package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// AddClaimTx records an identity a contact showed in a message. Claims are
// evidence for merge suggestions, never identities.
func (s *Store) AddClaimTx(ctx context.Context, tx *sql.Tx, c *inbox.Claim) error {
	addr, err := inbox.NormalizeAddress(c.Channel, c.Address)
	if err != nil {
		return err
	}
	c.Address = addr
	c.At = s.now().UTC()
	_, err = tx.ExecContext(ctx, `INSERT INTO identity_claims (contact_id, channel, address, message_id, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, c.ContactID, string(c.Channel), addr, c.MessageID, ms(c.At))
	if err != nil {
		return fmt.Errorf("store: record claim: %w", err)
	}
	return nil
}

// Candidate is a pair of live contacts that share an address.
type Candidate struct {
	ContactA, ContactB string
	Reason             inbox.SuggestionReason
	Detail             string
}

// MergeCandidates finds pairs of contacts that may be one customer: the
// same phone number on two phone-like channels, the same email address on
// two channels, or an address one contact claimed that another owns.
func (s *Store) MergeCandidates(ctx context.Context) ([]Candidate, error) {
	var out []Candidate
	rows, err := s.db.QueryContext(ctx, `
		SELECT a.contact_id, b.contact_id, a.channel, b.channel, a.address
		FROM identities a JOIN identities b ON b.address = a.address AND b.contact_id > a.contact_id
		WHERE ((a.channel IN ('phone','sms','whatsapp') AND b.channel IN ('phone','sms','whatsapp'))
		    OR (a.address LIKE '%@%' AND b.address LIKE '%@%'))
		  AND a.contact_id IN (SELECT id FROM contacts) AND b.contact_id IN (SELECT id FROM contacts)`)
	if err != nil {
		return nil, fmt.Errorf("store: merge candidates: %w", err)
	}
	for rows.Next() {
		var c Candidate
		var cha, chb, addr string
		if err := rows.Scan(&c.ContactA, &c.ContactB, &cha, &chb, &addr); err != nil {
			rows.Close()
			return nil, err
		}
		c.Reason = inbox.ReasonSamePhone
		if !isPhoneChannel(cha) {
			c.Reason = inbox.ReasonSameEmail
		}
		c.Detail = fmt.Sprintf("%s on %s and %s", addr, cha, chb)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, `
		SELECT c.contact_id, i.contact_id, c.channel, c.address, c.message_id
		FROM identity_claims c JOIN identities i ON i.address = c.address
		  AND (i.channel = c.channel OR (c.channel IN ('phone','sms','whatsapp') AND i.channel IN ('phone','sms','whatsapp')))
		WHERE i.contact_id <> c.contact_id
		  AND c.contact_id IN (SELECT id FROM contacts) AND i.contact_id IN (SELECT id FROM contacts)`)
	if err != nil {
		return nil, fmt.Errorf("store: merge candidates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var claimer, owner, ch, addr, msg string
		if err := rows.Scan(&claimer, &owner, &ch, &addr, &msg); err != nil {
			return nil, err
		}
		a, b := claimer, owner
		if b < a {
			a, b = b, a
		}
		detail := fmt.Sprintf("%s given in a chat belongs to another contact", addr)
		if msg != "" {
			detail += " (message " + msg + ")"
		}
		out = append(out, Candidate{ContactA: a, ContactB: b, Reason: inbox.ReasonClaimed, Detail: detail})
	}
	return out, rows.Err()
}

func isPhoneChannel(ch string) bool { return ch == "phone" || ch == "sms" || ch == "whatsapp" }

// AddSuggestion stores a suggestion unless the same pair was already
// suggested for the same reason (even if dismissed). It reports whether it
// is new.
func (s *Store) AddSuggestion(ctx context.Context, g *inbox.MergeSuggestion) (bool, error) {
	if g.ContactB < g.ContactA {
		g.ContactA, g.ContactB = g.ContactB, g.ContactA
	}
	if g.ID == "" {
		g.ID = inbox.DerivedID("sug", g.ContactA, g.ContactB, string(g.Reason))
	}
	g.CreatedAt = s.now().UTC()
	res, err := s.db.ExecContext(ctx, `INSERT INTO merge_suggestions (id, contact_a, contact_b, reason, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, g.ID, g.ContactA, g.ContactB, string(g.Reason), g.Detail, ms(g.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("store: add suggestion: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

const suggestionColumns = `id, contact_a, contact_b, reason, detail, created_at, dismissed_at, merge_id`

func scanSuggestion(sc interface{ Scan(...any) error }) (inbox.MergeSuggestion, error) {
	var g inbox.MergeSuggestion
	var reason string
	var created, dismissed int64
	err := sc.Scan(&g.ID, &g.ContactA, &g.ContactB, &reason, &g.Detail, &created, &dismissed, &g.MergeID)
	g.Reason, g.CreatedAt, g.DismissedAt = inbox.SuggestionReason(reason), fromMS(created), fromMS(dismissed)
	return g, err
}

// Suggestions lists the open suggestions (neither dismissed nor merged)
// whose two contacts both still exist, oldest first.
func (s *Store) Suggestions(ctx context.Context) ([]inbox.MergeSuggestion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+suggestionColumns+` FROM merge_suggestions
		WHERE dismissed_at = 0 AND merge_id = ''
		  AND contact_a IN (SELECT id FROM contacts) AND contact_b IN (SELECT id FROM contacts)
		ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: suggestions: %w", err)
	}
	defer rows.Close()
	var out []inbox.MergeSuggestion
	for rows.Next() {
		g, err := scanSuggestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Suggestion returns one suggestion.
func (s *Store) Suggestion(ctx context.Context, id string) (inbox.MergeSuggestion, error) {
	g, err := scanSuggestion(s.db.QueryRowContext(ctx, `SELECT `+suggestionColumns+` FROM merge_suggestions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("store: suggestion %s: %w", id, inbox.ErrNotFound)
	}
	return g, err
}

// DismissSuggestion hides a suggestion for good.
func (s *Store) DismissSuggestion(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE merge_suggestions SET dismissed_at = ? WHERE id = ?`, s.now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("store: dismiss suggestion: %w", err)
	}
	return mustAffect(res, "suggestion", id)
}

// SetSuggestionMerge records the merge that accepted a suggestion.
func (s *Store) SetSuggestionMerge(ctx context.Context, id, mergeID string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE merge_suggestions SET merge_id = ? WHERE id = ?`, mergeID, id)
	if err != nil {
		return fmt.Errorf("store: record merge: %w", err)
	}
	return mustAffect(res, "suggestion", id)
}

// SuggestionByMerge returns the suggestion a merge accepted.
func (s *Store) SuggestionByMerge(ctx context.Context, mergeID string) (inbox.MergeSuggestion, error) {
	g, err := scanSuggestion(s.db.QueryRowContext(ctx, `SELECT `+suggestionColumns+` FROM merge_suggestions WHERE merge_id = ?`, mergeID))
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("store: no suggestion for merge %s: %w", mergeID, inbox.ErrNotFound)
	}
	return g, err
}
