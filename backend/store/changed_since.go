package store

import (
	"context"
	"fmt"
)

// MaxMessageSeq returns the highest message seq stored (0 for none): a
// mark to ask ConversationsSince what arrived after it.
func (s *Store) MaxMessageSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM messages`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: max message seq: %w", err)
	}
	return n, nil
}

// ConversationsSince lists the conversations that received an account's
// messages stored after seq afterSeq, and the new mark (the highest seq
// seen, or afterSeq when there is none). Seq only grows, so a caller that
// keeps the mark sees every new message once.
func (s *Store) ConversationsSince(ctx context.Context, accountID string, afterSeq int64) ([]string, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT conversation_id, max(seq) FROM messages
		WHERE seq > ? AND account_id = ? GROUP BY conversation_id ORDER BY max(seq)`, afterSeq, accountID)
	if err != nil {
		return nil, afterSeq, fmt.Errorf("store: conversations since %d: %w", afterSeq, err)
	}
	defer rows.Close()
	ids := []string{}
	mark := afterSeq
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, afterSeq, fmt.Errorf("store: conversations since %d: %w", afterSeq, err)
		}
		ids = append(ids, id)
		mark = max(mark, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, afterSeq, fmt.Errorf("store: conversations since %d: %w", afterSeq, err)
	}
	return ids, mark, nil
}
