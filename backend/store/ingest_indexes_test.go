package store

import (
	"context"
	"strings"
	"testing"
)

// TestIngestIndexes checks migration 0014: the indexes that were prefixes
// of covering ones are gone, the queries they served use the covering
// ones, and the full-text index merges sixteen segments at a time.
func TestIngestIndexes(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	for _, name := range []string{"messages_sent", "messages_from", "conversations_contact"} {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&n); err != nil || n != 0 {
			t.Errorf("index %s: got %d, %v, want gone", name, n, err)
		}
	}
	plans := map[string]string{
		`SELECT m.seq FROM messages m WHERE m.from_addr = 'a@b.example' ORDER BY m.sent_at DESC, m.seq DESC LIMIT 50`: "COVERING INDEX messages_from_sent_seq",
		`SELECT count(*) FROM messages WHERE from_addr = 'a@b.example'`:                                               "COVERING INDEX messages_from_sent_seq",
		`SELECT m.seq FROM messages m ORDER BY m.sent_at DESC LIMIT 50`:                                               "COVERING INDEX messages_sent_seq_conv",
		`SELECT max(sent_at) FROM messages`:                                                                           "COVERING INDEX messages_sent_seq_conv",
		`SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.has_attachments = 1 LIMIT 500)`:                       "COVERING INDEX messages_attached",
	}
	for q, want := range plans {
		if got := explain(t, s, q); !strings.Contains(got, want) {
			t.Errorf("%s: got plan %q, want %s", q, got, want)
		}
	}
	// The subject rule and a customer's conversations use migration 0015's
	// conversations_contact_key instead (TestSubjectKeyMigration).
	var automerge string
	if err := s.db.QueryRowContext(ctx, `SELECT v FROM message_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil || automerge != "16" {
		t.Errorf("message_fts automerge: got %q, %v, want 16", automerge, err)
	}
}
