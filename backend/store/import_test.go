package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"tidings/backend/inbox"
)

// The batch lookups of an import find exactly what is stored, across IN
// lists longer than one query takes.
func TestBatchDuplicateLookups(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	conv, _ := seedConversation(t, s, "a@example.com", 0, fixedNow())
	var stored []string
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 3; i++ {
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
				MessageID: "<shared@x>", ContentHash: fmt.Sprint("h", i), Subject: "s"}
			if i == 2 {
				m.MessageID = "<own@x>"
			}
			if _, err := s.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
			stored = append(stored, m.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ask := []string{stored[1]}
	for i := 0; i < 700; i++ {
		ask = append(ask, fmt.Sprint("msg_absent_", i))
	}
	ask = append(ask, stored[2])
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		ids, err := s.StoredMessageIDsTx(ctx, tx, ask)
		if err != nil {
			return err
		}
		if len(ids) != 2 || !ids[stored[1]] || !ids[stored[2]] {
			t.Errorf("stored IDs: got %v, want %s and %s", ids, stored[1], stored[2])
		}
		hashes, err := s.HashesByHeaderIDTx(ctx, tx, []string{"<shared@x>", "<own@x>", "<none@x>"})
		if err != nil {
			return err
		}
		if fmt.Sprint(hashes) != "map[<own@x>:[h2] <shared@x>:[h0 h1]]" {
			t.Errorf("hashes: got %v", hashes)
		}
		empty, err := s.HashesByHeaderIDTx(ctx, tx, nil)
		if err != nil || len(empty) != 0 {
			t.Errorf("no IDs: got %v %v", empty, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
