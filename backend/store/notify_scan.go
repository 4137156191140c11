package store

import (
	"context"
	"fmt"
	"time"
)

// NewInbound is a customer's message as a desktop notification needs it.
type NewInbound struct {
	Seq            int64
	MessageID      string
	ConversationID string
	AccountID      string
	Channel        string
	FromName       string
	FromAddr       string
	ContactName    string
	Subject        string
	// Text is the start of the plain-text body.
	Text   string
	SentAt time.Time
	Read   bool
	// Demo is true for the demo inbox's accounts.
	Demo bool
	// Status is the conversation's status now.
	Status string
}

// InboundSince lists messages stored after row afterSeq that customers
// sent (direction in) and no machine wrote (not auto), oldest first, at
// most limit.
func (s *Store) InboundSince(ctx context.Context, afterSeq int64, limit int) ([]NewInbound, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT m.seq, m.id, m.conversation_id, coalesce(m.account_id, ''), m.channel,
		m.from_name, m.from_addr, coalesce(ct.name, ''), m.subject, substr(m.body_text, 1, 300), m.sent_at, m.is_read,
		coalesce(json_extract(a.config, '$.demo'), 0), c.status
		FROM messages m
		JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN contacts ct ON ct.id = c.contact_id
		LEFT JOIN accounts a ON a.id = m.account_id
		WHERE m.seq > ? AND m.direction = 'in' AND m.auto = 0
		ORDER BY m.seq LIMIT ?`, afterSeq, limit)
	if err != nil {
		return nil, fmt.Errorf("store: new inbound messages: %w", err)
	}
	defer rows.Close()
	var out []NewInbound
	for rows.Next() {
		var n NewInbound
		var sent int64
		var demo any
		if err := rows.Scan(&n.Seq, &n.MessageID, &n.ConversationID, &n.AccountID, &n.Channel, &n.FromName, &n.FromAddr,
			&n.ContactName, &n.Subject, &n.Text, &sent, &n.Read, &demo, &n.Status); err != nil {
			return nil, err
		}
		n.SentAt = fromMS(sent)
		switch v := demo.(type) {
		case int64:
			n.Demo = v != 0
		case bool:
			n.Demo = v
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
