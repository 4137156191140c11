package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// ftsSettings reads message_fts's automerge and crisismerge as stored.
func ftsSettings(t *testing.T, s *Store) (string, string) {
	t.Helper()
	var auto, crisis sql.NullString
	s.db.QueryRow(`SELECT v FROM message_fts_config WHERE k = 'automerge'`).Scan(&auto)
	s.db.QueryRow(`SELECT v FROM message_fts_config WHERE k = 'crisismerge'`).Scan(&crisis)
	return auto.String, crisis.String
}

// matches returns the rowids a full-text query finds, sorted.
func matches(t *testing.T, s *Store, q string) []int64 {
	t.Helper()
	rows, err := s.db.Query(`SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid`, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}

// TestDeferFTSMerge: while a bulk sync defers merging, every batch leaves
// its own segment and nothing merges (not even past the ordinary crisis
// level of 16); the ordinary settings come back when the last deferral
// ends, FTSMergeWanted says a merge is due, and MergeFTS then leaves one
// segment with the same search results.
func TestDeferFTSMerge(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, _ := seedConversation(t, s, "bulk@example.com", 0, fixedNow())
	if a, c := ftsSettings(t, s); a != "16" || (c != "" && c != "16") {
		t.Fatalf("settings before: automerge %q crisismerge %q, want 16 and the default", a, c)
	}
	resume := s.DeferFTSMerge(ctx)
	inner := s.DeferFTSMerge(ctx) // a second folder's sync at the same time
	if a, c := ftsSettings(t, s); a != "0" || c != fmt.Sprint(ftsBulkCrisismerge) {
		t.Fatalf("settings deferred: automerge %q crisismerge %q, want 0 and %d", a, c, ftsBulkCrisismerge)
	}
	const batches = 40
	words := []string{"parcel", "invoice", "refund", "delivery"}
	for b := 0; b < batches; b++ {
		err := s.BulkTx(ctx, func(tx *sql.Tx) error {
			for i := 0; i < 3; i++ {
				m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
					Date: fixedNow().Add(time.Duration(b*3+i) * time.Minute), From: inbox.Address{Address: "bulk@example.com"},
					Subject: fmt.Sprintf("order %d", b), Text: fmt.Sprintf("the %s of batch b%d item %d", words[(b+i)%len(words)], b, i)}
				if _, err := s.InsertMessageTx(ctx, tx, &m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	segs, err := s.FTSSegments(ctx)
	if err != nil || segs != batches {
		t.Fatalf("segments after %d deferred batches: got %d, %v, want %d (one each, none merged)", batches, segs, err, batches)
	}
	queries := []string{"parcel", "refund OR delivery", `"batch b7"`, "order AND invoice", "b3*"}
	before := map[string][]int64{}
	for _, q := range queries {
		before[q] = matches(t, s, q)
		if len(before[q]) == 0 {
			t.Fatalf("%s: no matches before merging", q)
		}
	}
	// MergeFTS during the sync leaves the deferral alone.
	if _, err := s.MergeFTS(ctx, &FTSMergeOptions{Pages: 1, MaxSteps: 1}); err != nil {
		t.Fatal(err)
	}
	if a, _ := ftsSettings(t, s); a != "0" {
		t.Fatalf("automerge after MergeFTS during a deferral: got %q, want 0", a)
	}
	inner()
	inner() // twice is harmless
	if a, _ := ftsSettings(t, s); a != "0" {
		t.Fatalf("automerge with one deferral left: got %q, want 0", a)
	}
	select {
	case <-s.FTSMergeWanted():
		t.Fatal("merge wanted while a deferral is still on")
	default:
	}
	resume()
	if a, c := ftsSettings(t, s); a != "16" || c != "16" {
		t.Fatalf("settings after: automerge %q crisismerge %q, want 16 and 16", a, c)
	}
	select {
	case <-s.FTSMergeWanted():
	default:
		t.Fatal("no merge wanted after the bulk sync")
	}
	rep, err := s.MergeFTS(ctx, nil)
	if err != nil || !rep.Done {
		t.Fatalf("MergeFTS: %+v, %v", rep, err)
	}
	if segs, err := s.FTSSegments(ctx); err != nil || segs != 1 {
		t.Fatalf("segments after merging: got %d, %v, want 1", segs, err)
	}
	for _, q := range queries {
		if got := matches(t, s, q); !slices.Equal(got, before[q]) {
			t.Errorf("%s: got %v after merging, want %v", q, got, before[q])
		}
	}
}

// TestMergeFTSRestoresSettings: a process that died during a bulk sync
// left merging deferred in the file; the next MergeFTS (the window's
// upkeep, an import) puts the ordinary settings back.
func TestMergeFTSRestoresSettings(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	s.DeferFTSMerge(ctx) // never resumed: the process "dies"
	s.Close()
	s2, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if a, _ := ftsSettings(t, s2); a != "0" {
		t.Fatalf("automerge left by the dead sync: got %q, want 0", a)
	}
	if _, err := s2.MergeFTS(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if a, c := ftsSettings(t, s2); a != "16" || c != "16" {
		t.Fatalf("settings after MergeFTS: automerge %q crisismerge %q, want 16 and 16", a, c)
	}
}

// TestRestoreFTSMerge: RestoreFTSMerge (the sync command runs it) puts
// back what a dead bulk sync left, and leaves a live deferral alone.
func TestRestoreFTSMerge(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := s.setFTSMerge(ctx, 0, ftsBulkCrisismerge); err != nil { // as a dead process left it
		t.Fatal(err)
	}
	if err := s.RestoreFTSMerge(ctx); err != nil {
		t.Fatal(err)
	}
	if a, c := ftsSettings(t, s); a != "16" || c != "16" {
		t.Fatalf("after RestoreFTSMerge: automerge %q crisismerge %q, want 16 and 16", a, c)
	}
	resume := s.DeferFTSMerge(ctx)
	defer resume()
	if err := s.RestoreFTSMerge(ctx); err != nil {
		t.Fatal(err)
	}
	if a, _ := ftsSettings(t, s); a != "0" {
		t.Fatalf("RestoreFTSMerge during a bulk sync: automerge %q, want 0 (left deferred)", a)
	}
}
