package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// SetDeliveryTx records where an outgoing chat message stands, inside tx.
func (s *Store) SetDeliveryTx(ctx context.Context, tx *sql.Tx, d *inbox.Delivery) error {
	return s.setDelivery(ctx, tx, d)
}

// SetDelivery records where an outgoing chat message stands; every call
// counts as one attempt when the state is sent or failed.
func (s *Store) SetDelivery(ctx context.Context, d *inbox.Delivery) error {
	return s.setDelivery(ctx, s.db, d)
}

func (s *Store) setDelivery(ctx context.Context, q queryer, d *inbox.Delivery) error {
	d.UpdatedAt = s.now().UTC()
	attempt := 0
	if d.State != inbox.DeliverySending {
		attempt = 1
	}
	err := q.QueryRowContext(ctx, `INSERT INTO deliveries (message_id, account_id, state, remote_id, error, attempts, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, remote_id = excluded.remote_id,
			error = excluded.error, attempts = deliveries.attempts + excluded.attempts, updated_at = excluded.updated_at
		RETURNING attempts`,
		d.MessageID, d.AccountID, string(d.State), d.RemoteID, d.Error, attempt, ms(d.UpdatedAt)).Scan(&d.Attempts)
	if err != nil {
		return fmt.Errorf("store: record delivery: %w", err)
	}
	return nil
}

const deliveryColumns = `message_id, account_id, state, remote_id, error, attempts, updated_at`

func scanDelivery(sc interface{ Scan(...any) error }) (inbox.Delivery, error) {
	var d inbox.Delivery
	var st string
	var at int64
	err := sc.Scan(&d.MessageID, &d.AccountID, &st, &d.RemoteID, &d.Error, &d.Attempts, &at)
	d.State, d.UpdatedAt = inbox.DeliveryState(st), fromMS(at)
	return d, err
}

// Delivery returns the delivery record of an outgoing chat message.
func (s *Store) Delivery(ctx context.Context, messageID string) (inbox.Delivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("store: no delivery for message %s: %w", messageID, inbox.ErrNotFound)
	}
	return d, err
}

// Deliveries returns the delivery records of a conversation's messages by
// message ID.
func (s *Store) Deliveries(ctx context.Context, conversationID string) (map[string]inbox.Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE message_id IN (SELECT id FROM messages WHERE conversation_id = ?)`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	defer rows.Close()
	out := map[string]inbox.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out[d.MessageID] = d
	}
	return out, rows.Err()
}

// PendingDeliveries lists an account's messages left in "sending" (the
// program stopped mid-send): their outcome is unknown and the owner decides.
func (s *Store) PendingDeliveries(ctx context.Context, accountID string) ([]inbox.Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE account_id = ? AND state = 'sending' ORDER BY updated_at`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: pending deliveries: %w", err)
	}
	defer rows.Close()
	var out []inbox.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
