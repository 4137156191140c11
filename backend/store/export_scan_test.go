package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// ScanMessages returns every message once, in conversation order and then
// date order, whether conversations fit in a read or must be paged.
func TestScanMessagesChunks(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sizes := []int{10, 2, 0, 3, 7}
	var ids, want []string
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for ci, n := range sizes {
			c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: fmt.Sprint("c", ci)}
			if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			ids = append(ids, c.ID)
			for i := 0; i < n; i++ {
				// Same date for some, so the seq breaks ties when paging.
				m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
					Date: base.Add(time.Duration(i/2) * time.Minute), Subject: fmt.Sprintf("c%d-m%d", ci, i),
					Raw: []byte(strings.Repeat(fmt.Sprintf("line %d %d\r\n", ci, i), 100))}
				if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
					return err
				}
				want = append(want, m.Subject)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{2000, 3, 1} {
		scanChunk = chunk
		var got []string
		err := st.ScanMessages(ctx, ids, ScanOptions{Raw: true}, func(m *inbox.Message) error {
			if !strings.HasPrefix(string(m.Raw), "line ") {
				return fmt.Errorf("message %s: original not loaded", m.Subject)
			}
			got = append(got, m.Subject)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("chunk %d: got %v, want %v", chunk, got, want)
		}
	}
	scanChunk = 2000
}
