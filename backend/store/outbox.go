package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tidings/backend/inbox"
)

// The outbox: an outgoing message is written here, with its local copy in
// messages, before any network I/O; the syncer moves it through sending to
// sent or failed.

const outboxColumns = `id, account_id, COALESCE(conversation_id, ''), message_id, state, attempts, last_error, next_attempt_at, created_at, sent_at, raw`

func scanOutbox(sc interface{ Scan(...any) error }) (inbox.OutboxItem, error) {
	var o inbox.OutboxItem
	var st string
	var next, created, sent int64
	err := sc.Scan(&o.ID, &o.AccountID, &o.ConversationID, &o.MessageID, &st, &o.Attempts, &o.LastError, &next, &created, &sent, &o.Raw)
	o.State = inbox.OutboxState(st)
	o.NextAttemptAt, o.CreatedAt, o.SentAt = fromMS(next), fromMS(created), fromMS(sent)
	return o, err
}

// QueueOutboxTx adds a message to the outbox inside tx, state queued.
// MessageID is the RFC 5322 Message-ID of the raw message.
func (s *Store) QueueOutboxTx(ctx context.Context, tx *sql.Tx, o *inbox.OutboxItem) error {
	if o.ID == "" {
		o.ID = inbox.NewID(inbox.PrefixOutbox)
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = s.now().UTC()
	}
	o.State = inbox.OutboxQueued
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, account_id, conversation_id, message_id, state, attempts, last_error, next_attempt_at, created_at, sent_at, raw) VALUES (?, ?, NULLIF(?, ''), ?, ?, 0, '', ?, ?, 0, ?)`,
		o.ID, o.AccountID, o.ConversationID, o.MessageID, string(o.State), ms(o.NextAttemptAt), ms(o.CreatedAt), o.Raw)
	if err != nil {
		return fmt.Errorf("store: queue message: %w", err)
	}
	return nil
}

// DueOutbox lists an account's messages to send now: queued ones whose
// time has come, and any left "sending" by a crash.
func (s *Store) DueOutbox(ctx context.Context, accountID string, now time.Time) ([]inbox.OutboxItem, error) {
	return s.queryOutbox(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE account_id = ? AND
		((state = 'queued' AND next_attempt_at <= ?) OR state = 'sending') ORDER BY created_at, id`, accountID, now.UnixMilli())
}

// Outbox lists an account's outbox, newest first ("" for every account).
func (s *Store) Outbox(ctx context.Context, accountID string) ([]inbox.OutboxItem, error) {
	return s.queryOutbox(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE (? = '' OR account_id = ?) ORDER BY created_at DESC, id DESC`, accountID, accountID)
}

// OutboxItem returns one outbox entry.
func (s *Store) OutboxItem(ctx context.Context, id string) (inbox.OutboxItem, error) {
	o, err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("store: outbox item %s: %w", id, inbox.ErrNotFound)
	}
	return o, err
}

// SentWithoutCopy lists an account's messages sent since a time whose copy
// is not (yet) seen in the Sent folder.
func (s *Store) SentWithoutCopy(ctx context.Context, accountID, sentFolder string, since time.Time) ([]inbox.OutboxItem, error) {
	return s.queryOutbox(ctx, `SELECT `+outboxColumns+` FROM outbox o WHERE o.account_id = ? AND o.state = 'sent' AND o.sent_at >= ?
		AND NOT EXISTS (SELECT 1 FROM messages m JOIN message_locations l ON l.seq = m.seq
			WHERE m.account_id = o.account_id AND m.message_id = o.message_id AND l.folder = ? AND l.gone_at = 0)
		ORDER BY o.sent_at`, accountID, since.UnixMilli(), sentFolder)
}

func (s *Store) queryOutbox(ctx context.Context, q string, args ...any) ([]inbox.OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []inbox.OutboxItem
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// UpdateOutbox saves an entry's state, attempts, error and times.
func (s *Store) UpdateOutbox(ctx context.Context, o inbox.OutboxItem) error {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ?, sent_at = ? WHERE id = ?`,
		string(o.State), o.Attempts, o.LastError, ms(o.NextAttemptAt), ms(o.SentAt), o.ID)
	if err != nil {
		return fmt.Errorf("store: update outbox: %w", err)
	}
	return mustAffect(res, "outbox item", o.ID)
}

// RetryOutbox puts a failed entry back in the queue, with new bytes when
// the user edited it.
func (s *Store) RetryOutbox(ctx context.Context, id string, raw []byte) error {
	q := `UPDATE outbox SET state = 'queued', next_attempt_at = 0, last_error = '', attempts = 0 WHERE id = ? AND state = 'failed'`
	args := []any{id}
	if raw != nil {
		q = `UPDATE outbox SET state = 'queued', next_attempt_at = 0, last_error = '', attempts = 0, raw = ? WHERE id = ? AND state = 'failed'`
		args = []any{raw, id}
	}
	res, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: retry: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: outbox item %s is not failed: %w", id, inbox.ErrConflict)
	}
	return nil
}

// MarkAnswered flags a message as answered (sent to the server as
// \Answered at the next sync).
func (s *Store) MarkAnswered(ctx context.Context, messageID string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE messages SET answered = 1 WHERE id = ?`, messageID)
	return err
}

// MessageIDsByHeader returns the IDs of an account's messages with the given
// RFC 5322 Message-ID.
func (s *Store) MessageIDsByHeader(ctx context.Context, accountID, messageID string) ([]string, error) {
	return stringColumn(ctx, s.db, `SELECT id FROM messages WHERE account_id IS ? AND message_id = ?`, accountArg(accountID), messageID)
}
