package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// BodyHashTx returns the content hash of the body stored for row seq, or
// staged for it earlier in the same batch (CompleteBodyTx under
// DeferRefresh). filled is false while only the row's header is here. Two
// different messages can share a header and a size (a sender that reuses
// Message-IDs); only their bodies tell them apart.
func (s *Store) BodyHashTx(ctx context.Context, tx *sql.Tx, seq int64) (hash string, filled bool, err error) {
	if set, _ := ctx.Value(deferKey{}).(*refreshSet); set != nil && set.completing[seq] {
		if err := tx.QueryRowContext(ctx, `SELECT content_hash FROM temp.pending_bodies WHERE seq = ?`, seq).Scan(&hash); err != nil {
			return "", false, fmt.Errorf("store: body of message %d: %w", seq, err)
		}
		return hash, true, nil
	}
	var state int
	err = tx.QueryRowContext(ctx, `SELECT body_state, content_hash FROM messages WHERE seq = ?`, seq).Scan(&state, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("store: message %d: %w", seq, inbox.ErrNotFound)
	}
	if err != nil {
		return "", false, fmt.Errorf("store: body of message %d: %w", seq, err)
	}
	return hash, state != 1, nil
}

// LiveLocationCountTx counts the places on the server (not gone) recorded
// for row seq.
func (s *Store) LiveLocationCountTx(ctx context.Context, tx *sql.Tx, seq int64) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM message_locations WHERE seq = ? AND gone_at = 0`, seq).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: locations of message %d: %w", seq, err)
	}
	return n, nil
}

// PartialBodyTx tells a message that might be the partially stored one at
// row seq (stored without the attachments left on the server) from it:
// same reports whether its content hash is contentHash; partial whether the
// row is stored partially; text is the row's text, read only when the
// hashes differ and the row is partial.
func (s *Store) PartialBodyTx(ctx context.Context, tx *sql.Tx, seq int64, contentHash string) (same, partial bool, text string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT content_hash = ?2, body_state = 2, CASE WHEN body_state = 2 AND content_hash <> ?2 THEN body_text ELSE '' END
		FROM messages WHERE seq = ?1`, seq, contentHash).Scan(&same, &partial, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, "", fmt.Errorf("store: message %d: %w", seq, inbox.ErrNotFound)
	}
	if err != nil {
		return false, false, "", fmt.Errorf("store: body of message %d: %w", seq, err)
	}
	return same, partial, text, nil
}
