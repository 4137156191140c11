package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tidings/backend/inbox"
)

// IngestReject is something a channel received but could not read.
type IngestReject struct {
	ID        string
	AccountID string
	RemoteKey string
	Reason    string
	Raw       []byte
	At        time.Time
}

// AddRejectTx keeps an unreadable item with its raw bytes, once per remote
// key.
func (s *Store) AddRejectTx(ctx context.Context, tx *sql.Tx, r *IngestReject) error {
	if r.ID == "" {
		r.ID = inbox.DerivedID("rej", r.AccountID, r.RemoteKey)
	}
	r.At = s.now().UTC()
	if r.Raw == nil {
		r.Raw = []byte{}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ingest_rejects (id, account_id, remote_key, reason, raw, at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, remote_key) DO NOTHING`, r.ID, r.AccountID, r.RemoteKey, r.Reason, r.Raw, ms(r.At))
	if err != nil {
		return fmt.Errorf("store: keep unreadable item: %w", err)
	}
	return nil
}

// Rejects lists an account's unreadable items, oldest first.
func (s *Store) Rejects(ctx context.Context, accountID string) ([]IngestReject, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, remote_key, reason, raw, at FROM ingest_rejects WHERE account_id = ? ORDER BY at, remote_key`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: rejects: %w", err)
	}
	defer rows.Close()
	var out []IngestReject
	for rows.Next() {
		var r IngestReject
		var at int64
		if err := rows.Scan(&r.ID, &r.AccountID, &r.RemoteKey, &r.Reason, &r.Raw, &at); err != nil {
			return nil, err
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
