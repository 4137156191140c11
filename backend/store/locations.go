package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// Location is where a message lives on a mail server: account, folder,
// UIDVALIDITY and UID (RFC 9051 section 2.3.1.1). Flags are the server's
// flags as of the last sync, the base of the two-way flag merge.
type Location struct {
	AccountID   string
	Folder      string
	UIDValidity uint32
	UID         uint32
	Seq         int64
	Flags       []string
	ModSeq      uint64
	// Gone is set when the server no longer has the message there; the
	// local copy stays.
	Gone bool
}

// LocationState is a live location with its message's local flag state.
type LocationState struct {
	UID      uint32
	Seq      int64
	Flags    []string
	Read     bool
	Flagged  bool
	Answered bool
	// Out is set for the business's own messages.
	Out bool
}

// LiveLocations returns the locations of a folder under one UIDVALIDITY that
// the server still had at the last sync, by UID, with the local state of
// their messages.
func (s *Store) LiveLocations(ctx context.Context, accountID, folder string, uidValidity uint32) (map[uint32]LocationState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.uid, l.seq, l.flags, m.is_read, m.flagged, m.answered, m.direction = 'out'
		FROM message_locations l JOIN messages m ON m.seq = l.seq
		WHERE l.account_id = ? AND l.folder = ? AND l.uidvalidity = ? AND l.gone_at = 0`, accountID, folder, uidValidity)
	if err != nil {
		return nil, fmt.Errorf("store: locations: %w", err)
	}
	defer rows.Close()
	out := map[uint32]LocationState{}
	for rows.Next() {
		var l LocationState
		var flags string
		if err := rows.Scan(&l.UID, &l.Seq, &flags, &l.Read, &l.Flagged, &l.Answered, &l.Out); err != nil {
			return nil, err
		}
		l.Flags = splitFlags(flags)
		out[l.UID] = l
	}
	return out, rows.Err()
}

// LiveLocationCount counts a folder's live locations under one UIDVALIDITY.
func (s *Store) LiveLocationCount(ctx context.Context, accountID, folder string, uidValidity uint32) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND gone_at = 0`,
		accountID, folder, uidValidity).Scan(&n)
	return n, err
}

// PutLocationTx records (or refreshes) where a message lives.
func (s *Store) PutLocationTx(ctx context.Context, tx *sql.Tx, l Location) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO message_locations (account_id, folder, uidvalidity, uid, seq, flags, modseq, gone_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0)
		ON CONFLICT (account_id, folder, uidvalidity, uid) DO UPDATE SET seq = excluded.seq, flags = excluded.flags, modseq = excluded.modseq, gone_at = 0`,
		l.AccountID, l.Folder, l.UIDValidity, l.UID, l.Seq, strings.Join(l.Flags, " "), int64(l.ModSeq))
	if err != nil {
		return fmt.Errorf("store: record location: %w", err)
	}
	return nil
}

// AddLocationTx records where a newly fetched message lives. Unlike
// PutLocationTx it is a plain INSERT: an upsert needs a statement journal,
// and every statement journal makes FTS5 flush its pending index segment,
// which at one per message costs more than the rest of the insert.
//
// Recording a location twice for the same message is no error (two
// processes synced the folder at once; the second found the message
// stored): the location stays one, live. The UID recorded for another
// message is inbox.ErrConflict.
func (s *Store) AddLocationTx(ctx context.Context, tx *sql.Tx, l Location) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO message_locations (account_id, folder, uidvalidity, uid, seq, flags, modseq, gone_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
		l.AccountID, l.Folder, l.UIDValidity, l.UID, l.Seq, strings.Join(l.Flags, " "), int64(l.ModSeq))
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return s.relocateTx(ctx, tx, l, err)
	}
	if err != nil {
		return fmt.Errorf("store: record location: %w", err)
	}
	return nil
}

// relocateTx handles a location already recorded (the INSERT failed with
// cause): the same message's is refreshed, another message's is a conflict.
func (s *Store) relocateTx(ctx context.Context, tx *sql.Tx, l Location, cause error) error {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ?`,
		l.AccountID, l.Folder, l.UIDValidity, l.UID).Scan(&seq)
	if err != nil {
		return fmt.Errorf("store: record location: %w (looking at the one recorded: %v)", cause, err)
	}
	if seq != l.Seq {
		return fmt.Errorf("store: record location: UID %d of %q is recorded for message %d, not %d: %w", l.UID, l.Folder, seq, l.Seq, inbox.ErrConflict)
	}
	_, err = tx.ExecContext(ctx, `UPDATE message_locations SET flags = ?, modseq = ?, gone_at = 0
		WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ?`,
		strings.Join(l.Flags, " "), int64(l.ModSeq), l.AccountID, l.Folder, l.UIDValidity, l.UID)
	if err != nil {
		return fmt.Errorf("store: record location: %w", err)
	}
	return nil
}

// MoveLocationTx points a folder's UID at another message (its body showed
// it is not the message its header was taken for).
func (s *Store) MoveLocationTx(ctx context.Context, tx *sql.Tx, l Location) error {
	res, err := tx.ExecContext(ctx, `UPDATE message_locations SET seq = ? WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ?`,
		l.Seq, l.AccountID, l.Folder, l.UIDValidity, l.UID)
	if err != nil {
		return fmt.Errorf("store: move location: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.AddLocationTx(ctx, tx, l)
	}
	return nil
}

// MarkGoneTx marks locations the server no longer has. Their messages stay.
func (s *Store) MarkGoneTx(ctx context.Context, tx *sql.Tx, accountID, folder string, uidValidity uint32, uids []uint32) error {
	for _, u := range uids {
		if _, err := tx.ExecContext(ctx, `UPDATE message_locations SET gone_at = ? WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ? AND gone_at = 0`,
			s.now().UnixMilli(), accountID, folder, uidValidity, u); err != nil {
			return fmt.Errorf("store: mark gone: %w", err)
		}
	}
	return nil
}

// RetireUIDValidityTx marks every live location of a folder under another
// UIDVALIDITY than keep as gone: after a UIDVALIDITY change their UIDs mean
// nothing; the messages were re-mapped to their new UIDs.
func (s *Store) RetireUIDValidityTx(ctx context.Context, tx *sql.Tx, accountID, folder string, keep uint32) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE message_locations SET gone_at = ? WHERE account_id = ? AND folder = ? AND uidvalidity <> ? AND gone_at = 0`,
		s.now().UnixMilli(), accountID, folder, keep)
	if err != nil {
		return 0, fmt.Errorf("store: retire old UIDs: %w", err)
	}
	return res.RowsAffected()
}

// SetMessageFlagsTx sets a message's read, flagged and answered state (from
// the server) and refreshes its conversation's counters.
func (s *Store) SetMessageFlagsTx(ctx context.Context, tx *sql.Tx, seq int64, read, flagged, answered bool) error {
	var conv string
	err := tx.QueryRowContext(ctx, `UPDATE messages SET is_read = (? OR direction = 'out'), flagged = ?, answered = ? WHERE seq = ? RETURNING conversation_id`,
		read, flagged, answered, seq).Scan(&conv)
	if err != nil {
		return fmt.Errorf("store: set flags: %w", err)
	}
	return s.refreshConversationTx(ctx, tx, conv)
}

// MessageGone reports whether the server no longer has a message anywhere
// it was seen (it has locations, all gone).
func (s *Store) MessageGone(ctx context.Context, messageID string) (bool, error) {
	var total, gone int
	err := s.db.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN l.gone_at <> 0 THEN 1 END)
		FROM message_locations l JOIN messages m ON m.seq = l.seq WHERE m.id = ?`, messageID).Scan(&total, &gone)
	if err != nil {
		return false, fmt.Errorf("store: message locations: %w", err)
	}
	return total > 0 && total == gone, nil
}

// MessageLocations lists where a message lives or lived.
func (s *Store) MessageLocations(ctx context.Context, messageID string) ([]Location, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.account_id, l.folder, l.uidvalidity, l.uid, l.seq, l.flags, l.modseq, l.gone_at <> 0
		FROM message_locations l JOIN messages m ON m.seq = l.seq WHERE m.id = ? ORDER BY l.folder, l.uidvalidity, l.uid`, messageID)
	if err != nil {
		return nil, fmt.Errorf("store: message locations: %w", err)
	}
	defer rows.Close()
	var out []Location
	for rows.Next() {
		var l Location
		var flags string
		var modseq int64
		if err := rows.Scan(&l.AccountID, &l.Folder, &l.UIDValidity, &l.UID, &l.Seq, &flags, &modseq, &l.Gone); err != nil {
			return nil, err
		}
		l.Flags, l.ModSeq = splitFlags(flags), uint64(modseq)
		out = append(out, l)
	}
	return out, rows.Err()
}

func splitFlags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

// BulkTx is Tx for bulk ingest (a sync batch): it first gives the
// transaction's connection a 16 MiB page cache (the default 2 MiB makes
// threading lookups re-read index pages from disk for every message) and
// checkpoints the WAL itself only past 256 MiB instead of every 4 MiB (a
// BackgroundCheckpoint beside it keeps the WAL short), so a large sync
// pays for fewer fsyncs. The settings stay on that connection.
func (s *Store) BulkTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range []string{`PRAGMA cache_size = -16384`, `PRAGMA wal_autocheckpoint = 65536`} {
			if _, err := tx.ExecContext(ctx, p); err != nil {
				return fmt.Errorf("store: %s: %w", p, err)
			}
		}
		return fn(tx)
	})
}

// ReadFingerprint sums up an account's local flag state: it changes
// whenever a message's read, flagged or answered state changes
// (FlagVersion), so a sync can skip comparing every message's flags when
// it has not.
func (s *Store) ReadFingerprint(ctx context.Context, accountID string) (string, error) {
	v, err := s.FlagVersion(ctx, accountID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("v%d", v), nil
}

// CursorTx is Cursor inside a transaction.
func (s *Store) CursorTx(ctx context.Context, tx *sql.Tx, accountID, scope string) (string, error) {
	var c string
	err := tx.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE account_id = ? AND scope = ?`, accountID, scope).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, err
}

// RemapCandidateTx returns the one stored message of an account that has
// this Message-ID, exactly this size, and a location in folder under
// another UIDVALIDITY: after a UIDVALIDITY change it is the message now at
// a new UID. ok is false when there is none, or more than one.
func (s *Store) RemapCandidateTx(ctx context.Context, tx *sql.Tx, accountID, folder string, uidValidity uint32, messageID string, size int64) (seq int64, ok bool, err error) {
	if messageID == "" {
		return 0, false, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT m.seq FROM messages m
		JOIN message_raw r ON r.seq = m.seq
		JOIN message_locations l ON l.seq = m.seq
		WHERE m.message_id <> '' AND m.message_id = ? AND m.account_id = ? AND r.size = ?
		AND l.account_id = ? AND l.folder = ? AND l.uidvalidity <> ? LIMIT 2`, messageID, accountID, size, accountID, folder, uidValidity)
	if err != nil {
		return 0, false, fmt.Errorf("store: remap: %w", err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return 0, false, err
		}
		seqs = append(seqs, v)
	}
	if len(seqs) != 1 {
		return 0, false, rows.Err()
	}
	return seqs[0], true, rows.Err()
}
