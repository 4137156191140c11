package store

import (
	"context"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// UnreadByAccount counts the conversations with unread messages per
// account and per channel, for the sidebar's account and channel views.
// It walks only the unread entries of the status index (which holds the
// account and channel too), so it costs what is unread, not the size of
// the store.
func (s *Store) UnreadByAccount(ctx context.Context) (accounts, channels map[string]int, err error) {
	// Every status is named so the (status, unread_count, ...) index answers.
	args := make([]any, len(inbox.Statuses))
	for i, st := range inbox.Statuses {
		args[i] = string(st)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(account_id, ''), channel, count(*) FROM conversations
		WHERE status IN (`+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`) AND unread_count > 0 GROUP BY 1, 2`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: unread by account: %w", err)
	}
	defer rows.Close()
	accounts, channels = map[string]int{}, map[string]int{}
	for rows.Next() {
		var acct, ch string
		var n int
		if err := rows.Scan(&acct, &ch, &n); err != nil {
			return nil, nil, fmt.Errorf("store: unread by account: %w", err)
		}
		if acct != "" {
			accounts[acct] += n
		}
		channels[ch] += n
	}
	return accounts, channels, rows.Err()
}
