package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// Headers before bodies: a sync first stores the newest messages from their
// header alone (messages.body_state = 1, no original, no text), so the list
// fills at once, then completes them as the bodies arrive. Such a message
// is recognised later by its header hash (header fields and exact size),
// and once complete also by its content hash: the same message fetched
// whole, or found in another folder, is never stored twice.

// Found is a stored message that an incoming one turned out to be.
type Found struct {
	Seq            int64
	ID             string
	ConversationID string
	// Pending is set while only its header is stored.
	Pending bool
}

// FindMessageTx looks for a stored message of the account that an incoming
// one is: by ID, else by content hash (a message completed after being
// listed from its header keeps its first ID), else by header hash among
// messages stored without their whole body (any message when the incoming
// one is only a header itself). ok is false when there is none.
func (s *Store) FindMessageTx(ctx context.Context, tx *sql.Tx, accountID, id, contentHash, headerHash string, headerOnly bool) (f Found, ok bool, err error) {
	var state int
	err = tx.QueryRowContext(ctx, `SELECT seq, id, conversation_id, body_state FROM messages WHERE id = ?1
		UNION ALL SELECT seq, id, conversation_id, body_state FROM messages
			WHERE content_hash = ?2 AND content_hash <> '' AND account_id IS ?4
		UNION ALL SELECT seq, id, conversation_id, body_state FROM messages
			WHERE header_hash = ?3 AND header_hash <> '' AND account_id IS ?4 AND (body_state <> 0 OR ?5)
		LIMIT 1`, id, contentHash, headerHash, accountArg(accountID), headerOnly).Scan(&f.Seq, &f.ID, &f.ConversationID, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, fmt.Errorf("store: find message: %w", err)
	}
	f.Pending = state == 1
	return f, true, nil
}

// CompleteBodyTx stores the body of a message listed from its header (row
// seq): text, original, attachments (replacing those its structure
// listed) and its full-text entry. m.ID must be the stored message's ID.
// done is false when the message was already complete.
//
// The text goes into the row by one UPDATE, whose trigger re-indexes the
// message (migration 0003). Every such statement makes FTS5 flush its
// pending segment, so under DeferRefresh the bodies of a batch wait in a
// temporary table and go in with one statement at the flush.
func (s *Store) CompleteBodyTx(ctx context.Context, tx *sql.Tx, seq int64, m *inbox.Message) (done bool, err error) {
	set, _ := ctx.Value(deferKey{}).(*refreshSet)
	if set != nil && set.completing[seq] {
		return false, nil // its body is already on the way in this batch
	}
	var conv string
	var state int
	if err := tx.QueryRowContext(ctx, `SELECT conversation_id, body_state FROM messages WHERE seq = ?`, seq).Scan(&conv, &state); err != nil {
		return false, fmt.Errorf("store: complete message %d: %w", seq, err)
	}
	if state != 1 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE seq = ?`, seq); err != nil {
		return false, fmt.Errorf("store: complete message: %w", err)
	}
	m.ConversationID = conv
	if err := s.putBodyTx(ctx, tx, seq, m, false); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS pending_bodies (seq INTEGER PRIMARY KEY, body_text TEXT, body_html TEXT,
		content_hash TEXT, parse_error TEXT, has_attachments INTEGER, body_state INTEGER, header_hash TEXT)`); err != nil {
		return false, fmt.Errorf("store: complete message: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO temp.pending_bodies (seq, body_text, body_html, content_hash, parse_error, has_attachments, body_state, header_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, seq, m.Text, m.HTML, m.ContentHash, m.ParseError, len(m.Attachments) > 0, bodyState(m), m.HeaderHash); err != nil {
		return false, fmt.Errorf("store: complete message: %w", err)
	}
	if set == nil {
		if err := s.applyBodiesTx(ctx, tx); err != nil {
			return false, err
		}
	} else {
		set.staged++
		set.completing[seq] = true
	}
	return true, s.conversationGrewTx(ctx, tx, conv, m.Date)
}

// applyBodiesTx moves the staged bodies into their rows in one statement;
// the update trigger indexes them.
func (s *Store) applyBodiesTx(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET body_text = b.body_text, body_html = b.body_html, content_hash = b.content_hash,
		parse_error = b.parse_error, has_attachments = b.has_attachments, body_state = b.body_state,
		header_hash = CASE WHEN b.header_hash <> '' THEN b.header_hash ELSE messages.header_hash END
		FROM temp.pending_bodies b WHERE messages.seq = b.seq AND messages.body_state = 1`); err != nil {
		return fmt.Errorf("store: complete messages: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.pending_bodies`); err != nil {
		return fmt.Errorf("store: complete messages: %w", err)
	}
	return nil
}

// DropStubTx removes a message listed from its header that turned out,
// once its body came, to be a message already stored (keep): its locations
// move to keep, and its conversation goes when left empty (its notes and
// labels move to keep's).
func (s *Store) DropStubTx(ctx context.Context, tx *sql.Tx, seq, keep int64) error {
	var conv, keepConv string
	if err := tx.QueryRowContext(ctx, `SELECT conversation_id FROM messages WHERE seq = ? AND body_state = 1`, seq).Scan(&conv); err != nil {
		return fmt.Errorf("store: drop header-only message %d: %w", seq, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT conversation_id FROM messages WHERE seq = ?`, keep).Scan(&keepConv); err != nil {
		return fmt.Errorf("store: drop header-only message %d: %w", seq, err)
	}
	for _, q := range []string{
		`UPDATE OR REPLACE message_locations SET seq = ?2 WHERE seq = ?1`,
		`DELETE FROM message_refs WHERE seq = ?1`,
		`DELETE FROM attachments WHERE seq = ?1`,
		`DELETE FROM message_fts WHERE rowid = ?1`,
		`DELETE FROM messages WHERE seq = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, seq, keep); err != nil {
			return fmt.Errorf("store: drop header-only message %d: %w", seq, err)
		}
	}
	var left int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE conversation_id = ?`, conv).Scan(&left); err != nil {
		return err
	}
	if left == 0 && conv != keepConv {
		return s.DropEmptyConversationTx(ctx, tx, conv, keepConv)
	}
	return s.refreshConversationTx(ctx, tx, conv)
}

// PendingBodies maps the UIDs of a folder's live locations whose message is
// stored from its header only to the message's row, newest UID first.
func (s *Store) PendingBodies(ctx context.Context, accountID, folder string, uidValidity uint32) ([]uint32, map[uint32]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.uid, l.seq FROM message_locations l JOIN messages m ON m.seq = l.seq
		WHERE l.account_id = ? AND l.folder = ? AND l.uidvalidity = ? AND l.gone_at = 0 AND m.body_state = 1 ORDER BY l.uid DESC`,
		accountID, folder, uidValidity)
	if err != nil {
		return nil, nil, fmt.Errorf("store: messages without their body: %w", err)
	}
	defer rows.Close()
	var uids []uint32
	seqs := map[uint32]int64{}
	for rows.Next() {
		var u uint32
		var seq int64
		if err := rows.Scan(&u, &seq); err != nil {
			return nil, nil, err
		}
		uids = append(uids, u)
		seqs[u] = seq
	}
	return uids, seqs, rows.Err()
}

// AttachmentSource is where an attachment left on the server can be
// fetched: its message's live locations and its body section.
type AttachmentSource struct {
	Attachment inbox.Attachment
	AccountID  string
	Locations  []Location
	// Partial is set when its message's original lacks the bodies of the
	// attachments left on the server (BodyPartial).
	Partial bool
}

// AttachmentSourceOf returns an attachment (without data) with the live
// locations of its message.
func (s *Store) AttachmentSourceOf(ctx context.Context, id string) (AttachmentSource, error) {
	var src AttachmentSource
	a := &src.Attachment
	var seq int64
	var account sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT a.id, m.id, m.seq, m.account_id, a.name, a.content_type, a.size, a.fetched, a.part, a.encoding,
		m.body_state = 2
		FROM attachments a JOIN messages m ON m.seq = a.seq WHERE a.id = ?`, id).
		Scan(&a.ID, &a.MessageID, &seq, &account, &a.Name, &a.ContentType, &a.Size, &a.Fetched, &a.Part, &a.Encoding, &src.Partial)
	if errors.Is(err, sql.ErrNoRows) {
		return src, fmt.Errorf("store: attachment %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return src, fmt.Errorf("store: attachment %s: %w", id, err)
	}
	src.AccountID = account.String
	locs, err := s.MessageLocations(ctx, a.MessageID)
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

// SetAttachmentData stores the data of an attachment fetched on demand.
// The message's original keeps lacking it (body_state stays 2).
func (s *Store) SetAttachmentData(ctx context.Context, id string, data []byte) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var seq int64
		err := tx.QueryRowContext(ctx, `UPDATE attachments SET data = ?, size = ?, fetched = 1, raw_start = 0, raw_end = 0 WHERE id = ? RETURNING seq`,
			data, len(data), id).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: attachment %s: %w", id, inbox.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: save attachment %s: %w", id, err)
		}
		return nil
	})
}

// MessageRowTx returns the message at row seq.
func (s *Store) MessageRowTx(ctx context.Context, tx *sql.Tx, seq int64) (Found, error) {
	var f Found
	var state int
	err := tx.QueryRowContext(ctx, `SELECT seq, id, conversation_id, body_state FROM messages WHERE seq = ?`, seq).Scan(&f.Seq, &f.ID, &f.ConversationID, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("store: message %d: %w", seq, inbox.ErrNotFound)
	}
	f.Pending = state == 1
	return f, err
}

// ReadableLocationCount counts a folder's live locations under one
// UIDVALIDITY whose message is here with its body (not only its header):
// the sync's progress towards everything readable offline.
func (s *Store) ReadableLocationCount(ctx context.Context, accountID, folder string, uidValidity uint32) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM message_locations l JOIN messages m ON m.seq = l.seq
		WHERE l.account_id = ? AND l.folder = ? AND l.uidvalidity = ? AND l.gone_at = 0 AND m.body_state <> 1`,
		accountID, folder, uidValidity).Scan(&n)
	return n, err
}
