package search

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// TestMergeFTSKeepsResults merges an index written in many small
// transactions (one segment each) and checks every query answers the same
// before and after, and that a second merge finds nothing left to do.
func TestMergeFTSKeepsResults(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	words := []string{"parcel", "invoice", "helmet", "refund", "saddle", "brake", "delivery", "colour"}
	for i := 0; i < 120; i++ {
		err := f.st.Tx(ctx, func(tx *sql.Tx) error {
			c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: fmt.Sprintf("Order %d", 2000+i)}
			if err := f.st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			at := day(i % 40).Add(time.Duration(i) * time.Minute)
			m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Date: at, ReceivedAt: at,
				From: inbox.Address{Name: fmt.Sprintf("Customer %d", i%17), Address: fmt.Sprintf("c%d@example.com", i%17)},
				To:   []inbox.Address{shop}, Subject: c.Subject,
				Text: fmt.Sprintf("About the %s and the %s of order %d", words[i%len(words)], words[(i*3+1)%len(words)], 2000+i)}
			if _, err := f.st.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
			if i%10 == 0 {
				return f.st.AddNoteTx(ctx, tx, &inbox.Note{ConversationID: c.ID, Body: "called about the " + words[i%len(words)], CreatedAt: at})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{"parcel", "invoice OR helmet", `"the brake"`, "saddle -refund", "from:c3@example.com delivery", "colour*", "called", "order"}
	run := func() map[string][]string {
		out := map[string][]string{}
		for _, q := range queries {
			for _, order := range []Order{"", "relevance"} {
				res, err := f.s.Search(ctx, Request{Query: q, Limit: 500, Order: order})
				if err != nil {
					t.Fatalf("search %q: %v", q, err)
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.ConversationID+"/"+h.MessageID+h.NoteID+"/"+h.Snippet.Text())
				}
				out[q+"|"+string(order)] = got
			}
		}
		return out
	}
	before := run()
	if len(before["parcel|"]) == 0 {
		t.Fatal("the corpus has no match for parcel")
	}
	rep, err := f.st.MergeFTS(ctx, &store.FTSMergeOptions{Pages: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Done || rep.Steps["message_fts"] == 0 {
		t.Errorf("first merge: %+v, want work done on message_fts and done", rep)
	}
	after := run()
	if !reflect.DeepEqual(before, after) {
		for k := range before {
			if !reflect.DeepEqual(before[k], after[k]) {
				t.Errorf("query %s: got %v after merging, want %v", k, after[k], before[k])
			}
		}
	}
	again, err := f.st.MergeFTS(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Done || again.Steps["message_fts"] != 0 || again.Steps["note_fts"] != 0 {
		t.Errorf("second merge: %+v, want nothing left to do", again)
	}
	// A bounded run stops early and says so.
	for i := 0; i < 30; i++ {
		if err := f.st.Tx(ctx, func(tx *sql.Tx) error {
			c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: "late"}
			if err := f.st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			_, err := f.st.InsertMessageTx(ctx, tx, &inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
				Date: now, ReceivedAt: now, From: anna, Subject: "late", Text: fmt.Sprintf("late parcel %d", i)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	part, err := f.st.MergeFTS(ctx, &store.FTSMergeOptions{Pages: 1, MaxSteps: 1})
	if err != nil {
		t.Fatal(err)
	}
	if part.Done || part.Steps["message_fts"] != 1 {
		t.Errorf("bounded merge: %+v, want one step and not done", part)
	}
}
