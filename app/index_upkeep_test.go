package app

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

// TestIndexUpkeepAfterBulkSync: a bulk sync leaves its segments unmerged
// (store.DeferFTSMerge); the upkeep merges them soon after it ends, not
// at its next interval.
func TestIndexUpkeepAfterBulkSync(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	defer func(d time.Duration) { afterBulkSync = d }(afterBulkSync)
	afterBulkSync = 10 * time.Millisecond
	StartIndexUpkeep(ctx, ws, time.Hour)
	resume := ws.Store.DeferFTSMerge(ctx)
	st := ws.Store
	for i := 0; i < 3; i++ { // three batches, three segments
		err := st.BulkTx(ctx, func(tx *sql.Tx) error {
			cid, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, fmt.Sprintf("c%d@example.com", i), "Customer")
			if err != nil {
				return err
			}
			conv := inbox.Conversation{ContactID: cid, Channel: inbox.ChannelEmail, Subject: "parcel"}
			if err := st.CreateConversationTx(ctx, tx, &conv); err != nil {
				return err
			}
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Subject: "parcel", Text: "where is my parcel"}
			_, err = st.InsertMessageTx(ctx, tx, &m)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.FTSSegments(ctx); err != nil || n != 3 {
		t.Fatalf("segments before: got %d, %v, want 3", n, err)
	}
	resume()
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := st.FTSSegments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("segments 20 s after the bulk sync: got %d, want 1 (the upkeep merged nothing)", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The search still finds all three.
	var hits int
	if err := st.DB().QueryRow(`SELECT count(*) FROM message_fts WHERE message_fts MATCH 'parcel'`).Scan(&hits); err != nil || hits != 3 {
		t.Errorf("hits for parcel after merging: got %d, %v, want 3", hits, err)
	}
}
