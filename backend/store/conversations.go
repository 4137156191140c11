package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/backend/inbox"
)

const conversationColumns = `c.id, COALESCE(c.account_id, ''), COALESCE(c.contact_id, ''), c.channel, c.subject, c.status,
	c.snoozed_until, c.last_message_at, c.message_count, c.unread_count, c.preview, c.created_at`

func scanConversation(sc interface{ Scan(...any) error }) (inbox.Conversation, error) {
	var c inbox.Conversation
	var ch, st string
	var snoozed, last, created int64
	err := sc.Scan(&c.ID, &c.AccountID, &c.ContactID, &ch, &c.Subject, &st, &snoozed, &last,
		&c.MessageCount, &c.UnreadCount, &c.Preview, &created)
	c.Channel, c.Status = inbox.Channel(ch), inbox.Status(st)
	c.SnoozedUntil, c.LastMessageAt, c.CreatedAt = fromMS(snoozed), fromMS(last), fromMS(created)
	return c, err
}

// CreateConversationTx stores a new, empty conversation inside tx.
func (s *Store) CreateConversationTx(ctx context.Context, tx *sql.Tx, c *inbox.Conversation) error {
	if c.ID == "" {
		c.ID = inbox.NewID(inbox.PrefixConversation)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now().UTC()
	}
	if c.Status == "" {
		c.Status = inbox.StatusOpen
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO conversations (id, account_id, contact_id, channel, subject, status, snoozed_until,
		last_message_at, message_count, unread_count, preview, created_at, subject_key) VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, 0, 0, '', ?, ?)`,
		c.ID, c.AccountID, c.ContactID, string(c.Channel), c.Subject, string(c.Status), ms(c.SnoozedUntil), ms(c.LastMessageAt), ms(c.CreatedAt),
		conversationSubjectKey(c.Subject))
	if err != nil {
		return fmt.Errorf("store: create conversation: %w", err)
	}
	return nil
}

// Conversation returns one conversation with its labels.
func (s *Store) Conversation(ctx context.Context, id string) (inbox.Conversation, error) {
	return s.conversation(ctx, s.db, id)
}

// ConversationTx is Conversation inside a transaction.
func (s *Store) ConversationTx(ctx context.Context, tx *sql.Tx, id string) (inbox.Conversation, error) {
	return s.conversation(ctx, tx, id)
}

func (s *Store) conversation(ctx context.Context, q queryer, id string) (inbox.Conversation, error) {
	c, err := scanConversation(q.QueryRowContext(ctx, `SELECT `+conversationColumns+` FROM conversations c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("store: conversation %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return c, err
	}
	labels, err := s.labelsOf(ctx, q, []string{id})
	c.Labels = labels[id]
	return c, err
}

// ListFilter selects conversations for a view. The zero value lists all
// conversations, newest first.
type ListFilter struct {
	Status    inbox.Status
	Label     string
	AccountID string
	Channel   inbox.Channel
	ContactID string
	// Unread keeps only conversations with unread messages.
	Unread bool
	// IDs restricts the list to these conversations (a search result).
	IDs []string
	// After continues a list after the row with this time and ID (keyset
	// paging: every page costs the same however deep).
	AfterTime time.Time
	AfterID   string
	Limit     int
}

// Conversations lists conversations with their contacts, newest first.
func (s *Store) Conversations(ctx context.Context, f ListFilter) ([]inbox.Summary, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where = append(where, `c.status = ?`)
		args = append(args, string(f.Status))
	}
	if f.Label != "" {
		where = append(where, `c.id IN (SELECT cl.conversation_id FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE l.name = ?)`)
		args = append(args, f.Label)
	}
	if f.AccountID != "" {
		where = append(where, `c.account_id = ?`)
		args = append(args, f.AccountID)
	}
	if f.Channel != "" {
		where = append(where, `c.channel = ?`)
		args = append(args, string(f.Channel))
	}
	if f.ContactID != "" {
		where = append(where, `c.contact_id = ?`)
		args = append(args, f.ContactID)
	}
	if f.Unread {
		where = append(where, `c.unread_count > 0`)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		in, a := inList(f.IDs)
		where = append(where, `c.id IN (`+in+`)`)
		args = append(args, a...)
	}
	if f.AfterID != "" {
		// A row value, so SQLite seeks the index instead of scanning to the page.
		where = append(where, `(c.last_message_at, c.id) < (?, ?)`)
		args = append(args, ms(f.AfterTime), f.AfterID)
	}
	q := `SELECT ` + conversationColumns + ` FROM conversations c`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY c.last_message_at DESC, c.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list conversations: %w", err)
	}
	var out []inbox.Summary
	var ids, contactIDs []string
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, inbox.Summary{Conversation: c})
		ids = append(ids, c.ID)
		if c.ContactID != "" {
			contactIDs = append(contactIDs, c.ContactID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	labels, err := s.labelsOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	contacts, err := s.contacts(ctx, s.db, dedupe(contactIDs))
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Labels = labels[out[i].ID]
		out[i].Contact = contacts[out[i].ContactID]
	}
	return out, nil
}

// StatusCounts returns how many conversations each status holds, and how
// many of them have unread messages.
func (s *Store) StatusCounts(ctx context.Context) (total, unread map[inbox.Status]int, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, count(*), count(CASE WHEN unread_count > 0 THEN 1 END) FROM conversations GROUP BY status`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	total, unread = map[inbox.Status]int{}, map[inbox.Status]int{}
	for rows.Next() {
		var st string
		var n, u int
		if err := rows.Scan(&st, &n, &u); err != nil {
			return nil, nil, err
		}
		total[inbox.Status(st)], unread[inbox.Status(st)] = n, u
	}
	return total, unread, rows.Err()
}

// SetStatus changes a conversation's status by the domain's rules and records
// the change in its timeline.
func (s *Store) SetStatus(ctx context.Context, id string, st inbox.Status, until time.Time) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		c, err := s.conversation(ctx, tx, id)
		if err != nil {
			return err
		}
		old := c.Status
		if err := c.SetStatus(st, until, s.now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE conversations SET status = ?, snoozed_until = ? WHERE id = ?`,
			string(c.Status), ms(c.SnoozedUntil), id); err != nil {
			return fmt.Errorf("store: set status: %w", err)
		}
		detail := string(old) + " → " + string(c.Status)
		if st == inbox.StatusSnoozed {
			detail += " until " + c.SnoozedUntil.Format(time.RFC3339)
		}
		return s.AddEventTx(ctx, tx, id, "status", detail)
	})
}

// WakeSnoozed opens every snoozed conversation whose time has come and
// returns their IDs.
func (s *Store) WakeSnoozed(ctx context.Context) ([]string, error) {
	var woke []string
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		ids, err := stringColumn(ctx, tx, `SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ?`, now.UnixMilli())
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE conversations SET status = 'open', snoozed_until = 0 WHERE id = ?`, id); err != nil {
				return err
			}
			if err := s.AddEventTx(ctx, tx, id, "status", "snoozed → open (snooze ended)"); err != nil {
				return err
			}
		}
		woke = ids
		return nil
	})
	return woke, err
}

// MarkRead marks every message of a conversation read or unread.
func (s *Store) MarkRead(ctx context.Context, id string, read bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		v := 0
		if read {
			v = 1
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET is_read = ? WHERE conversation_id = ? AND direction = 'in'`, v, id); err != nil {
			return err
		}
		return s.refreshConversationTx(ctx, tx, id)
	})
}

// refreshConversationTx recomputes a conversation's counters, last time and
// preview from its messages.
func (s *Store) refreshConversationTx(ctx context.Context, tx *sql.Tx, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE conversations SET
		message_count = (SELECT count(*) FROM messages WHERE conversation_id = ?1),
		unread_count = (SELECT count(*) FROM messages WHERE conversation_id = ?1 AND direction = 'in' AND is_read = 0),
		last_message_at = COALESCE((SELECT max(sent_at) FROM messages WHERE conversation_id = ?1), last_message_at),
		preview = COALESCE((SELECT substr(body_text, 1, 200) FROM messages WHERE conversation_id = ?1 ORDER BY sent_at DESC, seq DESC LIMIT 1), '')
		WHERE id = ?1`, id)
	if err != nil {
		return fmt.Errorf("store: refresh conversation: %w", err)
	}
	return mustAffect(res, "conversation", id)
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
