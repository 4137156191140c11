package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"tidings/backend/inbox"
)

// The queries the threader (backend/threader) runs while it files a message
// into a conversation. Each takes the caller's transaction, so a message,
// its references and its conversation's new status commit together.

// MessageSeqTx returns the row number and conversation of the message with
// the given ID, or inbox.ErrNotFound.
func (s *Store) MessageSeqTx(ctx context.Context, tx *sql.Tx, id string) (seq int64, conversationID string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT seq, conversation_id FROM messages WHERE id = ?`, id).Scan(&seq, &conversationID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return 0, "", fmt.Errorf("store: find message: %w", err)
	}
	return seq, conversationID, nil
}

// accountArg turns "" into NULL for `account_id IS ?`.
func accountArg(accountID string) any {
	if accountID == "" {
		return nil
	}
	return accountID
}

// ConversationsByMessageIDTx maps each of the given RFC 5322 Message-IDs to
// the conversation of an email message of the account that has it (the
// newest such message when several do).
func (s *Store) ConversationsByMessageIDTx(ctx context.Context, tx *sql.Tx, accountID string, messageIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	in, args := inList(messageIDs)
	args = append([]any{accountArg(accountID)}, args...)
	// Ordered here rather than by SQL: an ORDER BY opens a sorter even
	// for the no rows most messages find.
	rows, err := tx.QueryContext(ctx, `SELECT message_id, conversation_id, sent_at, seq FROM messages
		WHERE message_id <> '' AND message_id IN (`+in+`) AND account_id IS ? AND channel = 'email'`, append(args[1:], args[0])...)
	if err != nil {
		return nil, fmt.Errorf("store: find parents: %w", err)
	}
	defer rows.Close()
	type at struct{ sent, seq int64 }
	newest := map[string]at{}
	for rows.Next() {
		var mid, conv string
		var a at
		if err := rows.Scan(&mid, &conv, &a.sent, &a.seq); err != nil {
			return nil, err
		}
		if n, ok := newest[mid]; !ok || a.sent > n.sent || a.sent == n.sent && a.seq > n.seq {
			newest[mid] = a
			out[mid] = conv
		}
	}
	return out, rows.Err()
}

// ConversationsReferencingTx returns the conversations of the account's
// email messages that name any of refs in In-Reply-To or References, most
// recent first: the children and siblings of a message.
func (s *Store) ConversationsReferencingTx(ctx context.Context, tx *sql.Tx, accountID string, refs []string) ([]string, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	in, args := inList(refs)
	args = append(args, accountArg(accountID))
	// Grouped and ordered here rather than by SQL: GROUP BY and ORDER BY
	// open two sorters even for the no rows most messages find.
	rows, err := tx.QueryContext(ctx, `SELECT m.conversation_id, m.sent_at FROM message_refs r JOIN messages m ON m.seq = r.seq
		WHERE r.ref IN (`+in+`) AND m.account_id IS ? AND m.channel = 'email'`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find references: %w", err)
	}
	defer rows.Close()
	last := map[string]int64{}
	var out []string
	for rows.Next() {
		var conv string
		var sent int64
		if err := rows.Scan(&conv, &sent); err != nil {
			return nil, err
		}
		if t, ok := last[conv]; !ok {
			out = append(out, conv)
			last[conv] = sent
		} else if sent > t {
			last[conv] = sent
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find references: %w", err)
	}
	// Most recent first; a tie in the order of the conversation IDs.
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(last[b], last[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out, nil
}

// AddMessageRefsTx records the Message-IDs a stored message names, a row
// per statement: a statement writing several rows opens a statement
// journal, and that makes FTS5 write its pending index entries out as a
// new segment (its xSavepoint flushes), which after every message was a
// tenth of the work of storing it, and left thousands of tiny segments to
// merge.
func (s *Store) AddMessageRefsTx(ctx context.Context, tx *sql.Tx, seq int64, refs []string) error {
	for i, r := range refs {
		if r == "" || slices.Contains(refs[:i], r) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO message_refs (ref, seq) VALUES (?, ?)`, r, seq); err != nil {
			return fmt.Errorf("store: record references: %w", err)
		}
	}
	return nil
}

// SubjectCandidate is a recent conversation with one contact, for the
// threader's subject rule.
type SubjectCandidate struct {
	ID      string
	Subject string
	// First and Last are the times of its oldest and newest messages.
	First, Last time.Time
	// Human is true when it holds a message that is not auto mail.
	Human bool
}

// SubjectCandidatesTx lists the account's email conversations with a
// contact whose subject key (inbox.SubjectKey of their subject) is key and
// that have messages between from and to, newest first, at most 50.
//
// The conversations come from one seek of conversations_contact_key
// (migration 0015), not a walk of every conversation of the contact
// comparing subjects: a sync files each message of a customer with
// hundreds of conversations through here.
func (s *Store) SubjectCandidatesTx(ctx context.Context, tx *sql.Tx, accountID, contactID, key string, from, to time.Time) ([]SubjectCandidate, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.subject, c.last_message_at FROM conversations c
		WHERE c.contact_id = ? AND c.subject_key = ? AND c.account_id IS ? AND c.channel = 'email' AND c.last_message_at >= ?
		ORDER BY c.last_message_at DESC`, contactID, key, accountArg(accountID), ms(from))
	if err != nil {
		return nil, fmt.Errorf("store: subject candidates: %w", err)
	}
	var out []SubjectCandidate
	for rows.Next() {
		var c SubjectCandidate
		var last int64
		if err := rows.Scan(&c.ID, &c.Subject, &last); err != nil {
			rows.Close()
			return nil, err
		}
		c.Last = fromMS(last)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: subject candidates: %w", err)
	}
	kept := out[:0]
	for _, c := range out {
		if len(kept) == 50 {
			break
		}
		var first sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(m.sent_at), EXISTS (SELECT 1 FROM messages h WHERE h.conversation_id = ?1 AND h.auto = 0)
			FROM messages m WHERE m.conversation_id = ?1`, c.ID).Scan(&first, &c.Human); err != nil {
			return nil, fmt.Errorf("store: subject candidates: %w", err)
		}
		if !first.Valid || first.Int64 > ms(to) {
			continue // no messages, or none before to
		}
		c.First = fromMS(first.Int64)
		kept = append(kept, c)
	}
	return kept, nil
}

// ConversationStateTx returns a conversation's status and the time of its
// newest message: what the threader needs to decide whether a message
// reopens it, without reading the whole conversation and its labels.
func (s *Store) ConversationStateTx(ctx context.Context, tx *sql.Tx, id string) (inbox.Status, time.Time, error) {
	var status string
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT status, last_message_at FROM conversations WHERE id = ?`, id).Scan(&status, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, fmt.Errorf("store: conversation %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("store: conversation %s: %w", id, err)
	}
	return inbox.Status(status), fromMS(last), nil
}

// SetConversationStatusTx stores a status the domain rules decided (such as
// inbox.Conversation.ApplyInbound) and records why in the timeline.
func (s *Store) SetConversationStatusTx(ctx context.Context, tx *sql.Tx, c *inbox.Conversation, detail string) error {
	res, err := tx.ExecContext(ctx, `UPDATE conversations SET status = ?, snoozed_until = ? WHERE id = ?`,
		string(c.Status), ms(c.SnoozedUntil), c.ID)
	if err != nil {
		return fmt.Errorf("store: set status: %w", err)
	}
	if err := mustAffect(res, "conversation", c.ID); err != nil {
		return err
	}
	return s.AddEventTx(ctx, tx, c.ID, "status", detail)
}

// SetMessageWarningsTx stores what the parser repaired or guessed.
func (s *Store) SetMessageWarningsTx(ctx context.Context, tx *sql.Tx, seq int64, warnings []string) error {
	if len(warnings) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE messages SET parse_warnings = ? WHERE seq = ?`, strings.Join(warnings, "\n"), seq)
	if err != nil {
		return fmt.Errorf("store: save parse warnings: %w", err)
	}
	return nil
}

// MessageWarnings returns what the parser repaired or guessed in a message.
func (s *Store) MessageWarnings(ctx context.Context, id string) ([]string, error) {
	var w string
	err := s.db.QueryRowContext(ctx, `SELECT parse_warnings FROM messages WHERE id = ?`, id).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil || w == "" {
		return nil, err
	}
	return strings.Split(w, "\n"), nil
}

// MoveMessagesTx moves messages into another conversation, marking them
// filed by hand (inbox.ReasonManual), and refreshes both conversations'
// counters. It returns the conversations the messages left.
func (s *Store) MoveMessagesTx(ctx context.Context, tx *sql.Tx, messageIDs []string, toConversationID string) ([]string, error) {
	if len(messageIDs) == 0 {
		return nil, nil
	}
	in, args := inList(messageIDs)
	from, err := stringColumn(ctx, tx, `SELECT DISTINCT conversation_id FROM messages WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: move messages: %w", err)
	}
	if len(from) == 0 {
		return nil, fmt.Errorf("store: messages %v: %w", messageIDs, inbox.ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET conversation_id = ?, thread_reason = 'manual' WHERE id IN (`+in+`)`,
		append([]any{toConversationID}, args...)...); err != nil {
		return nil, fmt.Errorf("store: move messages: %w", err)
	}
	for _, c := range append(from, toConversationID) {
		if err := s.refreshConversationTx(ctx, tx, c); err != nil {
			return nil, err
		}
	}
	return from, nil
}

// ConversationMessageIDs lists the IDs of a conversation's messages.
func (s *Store) ConversationMessageIDsTx(ctx context.Context, tx *sql.Tx, conversationID string) ([]string, error) {
	return stringColumn(ctx, tx, `SELECT id FROM messages WHERE conversation_id = ? ORDER BY sent_at, seq`, conversationID)
}

// DropEmptyConversationTx deletes a conversation left without messages by
// a merge, moving its notes and labels to keep.
func (s *Store) DropEmptyConversationTx(ctx context.Context, tx *sql.Tx, id, keep string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE conversation_id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("store: conversation %s still has %d messages: %w", id, n, inbox.ErrConflict)
	}
	for _, q := range []string{
		`UPDATE notes SET conversation_id = ?2 WHERE conversation_id = ?1`,
		`INSERT OR IGNORE INTO conversation_labels (conversation_id, label_id) SELECT ?2, label_id FROM conversation_labels WHERE conversation_id = ?1`,
		`UPDATE events SET conversation_id = ?2 WHERE conversation_id = ?1`,
		`DELETE FROM chat_threads WHERE conversation_id = ?1`,
		`DELETE FROM conversation_labels WHERE conversation_id = ?1`,
		`UPDATE outbox SET conversation_id = ?2 WHERE conversation_id = ?1`,
		`DELETE FROM conversations WHERE id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id, keep); err != nil {
			return fmt.Errorf("store: merge conversations: %w", err)
		}
	}
	return nil
}
