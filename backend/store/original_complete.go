package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// Body states (messages.body_state, migration 0013).
const (
	// BodyComplete: the original and everything in it is here.
	BodyComplete = 0
	// BodyHeaderOnly: only the header is here; the body is to come.
	BodyHeaderOnly = 1
	// BodyPartial: attachments above the download limit were left on the
	// server, and the original lacks their bodies.
	BodyPartial = 2
)

// OriginalSource is where a message stored without all of its original can
// be fetched whole: its account and live locations.
type OriginalSource struct {
	Seq       int64
	MessageID string
	AccountID string
	Subject   string
	// State is BodyComplete, BodyHeaderOnly or BodyPartial.
	State     int
	Locations []Location
}

// OriginalSourceOf returns a message's body state and its live locations.
func (s *Store) OriginalSourceOf(ctx context.Context, messageID string) (OriginalSource, error) {
	src := OriginalSource{MessageID: messageID}
	var account sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT seq, account_id, subject, body_state FROM messages WHERE id = ?`, messageID).
		Scan(&src.Seq, &account, &src.Subject, &src.State)
	if errors.Is(err, sql.ErrNoRows) {
		return src, fmt.Errorf("store: message %s: %w", messageID, inbox.ErrNotFound)
	}
	if err != nil {
		return src, fmt.Errorf("store: message %s: %w", messageID, err)
	}
	src.AccountID = account.String
	locs, err := s.MessageLocations(ctx, messageID)
	if err != nil {
		return src, err
	}
	for _, l := range locs {
		if !l.Gone {
			src.Locations = append(src.Locations, l)
		}
	}
	return src, nil
}

// CompleteOriginalTx replaces the original of a message stored without the
// attachments left on the server (BodyPartial) by its whole original m.Raw
// (parsed as m), fetched later. Every attachment is found again at its body
// section and, like any message's, kept once: in the original. The content
// hash becomes the whole original's; ID, text, thread and flags stay. done
// is false when the message lacked nothing.
func (s *Store) CompleteOriginalTx(ctx context.Context, tx *sql.Tx, seq int64, m *inbox.Message) (done bool, err error) {
	var state int
	if err := tx.QueryRowContext(ctx, `SELECT body_state FROM messages WHERE seq = ?`, seq).Scan(&state); err != nil {
		return false, fmt.Errorf("store: complete original of message %d: %w", seq, err)
	}
	if state != BodyPartial {
		return false, nil
	}
	if len(m.Raw) == 0 {
		return false, fmt.Errorf("store: complete original of message %d: no original given: %w", seq, inbox.ErrInvalid)
	}
	old, err := s.rawBySeqTx(ctx, tx, seq)
	if err != nil && !errors.Is(err, inbox.ErrNotFound) {
		return false, err
	}
	byPart := map[string]*inbox.Attachment{}
	for i := range m.Attachments {
		byPart[m.Attachments[i].Part] = &m.Attachments[i]
	}
	type stored struct {
		id, part, enc string
		fetched       bool
		hasData       bool
		start, end    int
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, part, encoding, fetched, data IS NOT NULL, raw_start, raw_end FROM attachments WHERE seq = ?`, seq)
	if err != nil {
		return false, fmt.Errorf("store: complete original of message %d: %w", seq, err)
	}
	var atts []stored
	for rows.Next() {
		var a stored
		if err := rows.Scan(&a.id, &a.part, &a.enc, &a.fetched, &a.hasData, &a.start, &a.end); err != nil {
			rows.Close()
			return false, err
		}
		atts = append(atts, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	complete := true
	for _, a := range atts {
		n := byPart[a.part]
		size := 0
		if n != nil {
			size = max(int(n.Size), len(n.Data))
		}
		switch {
		case n != nil && n.InRaw[1] > n.InRaw[0] && n.InRaw[1] <= len(m.Raw):
			_, err = tx.ExecContext(ctx, `UPDATE attachments SET data = NULL, size = ?, fetched = 1, raw_start = ?, raw_end = ? WHERE id = ?`,
				size, n.InRaw[0], n.InRaw[1], a.id)
		case n != nil:
			_, err = tx.ExecContext(ctx, `UPDATE attachments SET data = ?, size = ?, fetched = 1, raw_start = 0, raw_end = 0 WHERE id = ?`,
				nonNilBytes(n.Data), size, a.id)
		case a.fetched && !a.hasData && a.end > a.start && a.end <= len(old):
			// Not found again: its data leaves the old original for a
			// place of its own.
			data, _ := inbox.DecodeTransfer(a.enc, old[a.start:a.end])
			_, err = tx.ExecContext(ctx, `UPDATE attachments SET data = ?, raw_start = 0, raw_end = 0 WHERE id = ?`, nonNilBytes(data), a.id)
		case !a.fetched:
			complete = false
		}
		if err != nil {
			return false, fmt.Errorf("store: complete original of message %d: %w", seq, err)
		}
	}
	comp, data := compressRaw(m.Raw)
	if _, err := tx.ExecContext(ctx, `INSERT INTO message_raw (seq, compression, size, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (seq) DO UPDATE SET compression = excluded.compression, size = excluded.size, data = excluded.data`, seq, comp, len(m.Raw), data); err != nil {
		return false, fmt.Errorf("store: keep original of message %d: %w", seq, err)
	}
	next := BodyComplete
	if !complete {
		next = BodyPartial
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET body_state = ?, content_hash = ? WHERE seq = ?`, next, m.ContentHash, seq); err != nil {
		return false, fmt.Errorf("store: complete original of message %d: %w", seq, err)
	}
	return complete, nil
}

// rawBySeqTx is rawBySeq inside a transaction.
func (s *Store) rawBySeqTx(ctx context.Context, tx *sql.Tx, seq int64) ([]byte, error) {
	var comp string
	var size int
	var data []byte
	err := tx.QueryRowContext(ctx, `SELECT compression, size, data FROM message_raw WHERE seq = ?`, seq).Scan(&comp, &size, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: no original kept for message %d: %w", seq, inbox.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return decompress(comp, data, size)
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
