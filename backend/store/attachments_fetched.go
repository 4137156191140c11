package store

import (
	"context"
	"fmt"
)

// UnfetchedAttachments lists the IDs of a conversation's attachments whose
// data was not downloaded ahead (attachments.fetched = 0), so the window can
// offer to fetch them.
func (s *Store) UnfetchedAttachments(ctx context.Context, conversationID string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id FROM attachments a JOIN messages m ON m.seq = a.seq
		WHERE m.conversation_id = ? AND a.fetched = 0 ORDER BY a.seq, a.rowid`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("store: listing unfetched attachments: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: listing unfetched attachments: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
