package store

import (
	"context"
	"database/sql"
	"errors"
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
	// fn's error stops the scan, with readers still busy ahead of it.
	scanChunk = 1
	stop := fmt.Errorf("enough")
	n := 0
	err = st.ScanMessages(ctx, ids, ScanOptions{Raw: true}, func(m *inbox.Message) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("got %v after %d messages, want the callback's error after 3", err, n)
	}
	// So does cancelling its context, however far the readers got.
	cctx, cancelScan := context.WithCancel(ctx)
	n = 0
	err = st.ScanMessages(cctx, ids, ScanOptions{Raw: true}, func(m *inbox.Message) error {
		if n++; n == 2 {
			cancelScan()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: got %v after %d messages, want context.Canceled", err, n)
	}

	// Three scans at once, each callback querying the store, with paged
	// conversations: more readers than the pool has connections.
	scanChunk = 1
	tctx, stopWaiting := context.WithTimeout(ctx, 2*time.Minute) // fails, rather than hangs, on a deadlock
	defer stopWaiting()
	errs := make(chan error, 3)
	for k := 0; k < 3; k++ {
		go func() {
			errs <- st.ScanMessages(tctx, ids, ScanOptions{Raw: true}, func(m *inbox.Message) error {
				_, err := st.Conversation(tctx, m.ConversationID)
				return err
			})
		}()
	}
	for k := 0; k < 3; k++ {
		if err := <-errs; err != nil {
			t.Errorf("concurrent scan: %v", err)
		}
	}
	scanChunk = 2000
}

// A writer of originals (DataOnlyWithoutRaw) gets the address lists only
// for messages without an original, which it must write itself.
func TestScanMessagesDataOnlyWithoutRaw(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var conv inbox.Conversation
	to := []inbox.Address{{Name: "Shop", Address: "shop@example.com"}}
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		conv = inbox.Conversation{Channel: inbox.ChannelEmail, Subject: "s"}
		if err := st.CreateConversationTx(ctx, tx, &conv); err != nil {
			return err
		}
		for i, raw := range [][]byte{[]byte("Subject: s\r\n\r\nhi\r\n"), nil} {
			m := inbox.Message{ConversationID: conv.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Subject: fmt.Sprint("m", i),
				To: to, References: []string{"<r@x>"}, Text: "body", Raw: raw, Date: time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC)}
			if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	st.ScanMessages(ctx, []string{conv.ID}, ScanOptions{Raw: true, DataOnlyWithoutRaw: true}, func(m *inbox.Message) error {
		got = append(got, fmt.Sprintf("%s raw=%v to=%d refs=%d text=%q", m.Subject, m.Raw != nil, len(m.To), len(m.References), m.Text))
		return nil
	})
	want := []string{`m0 raw=true to=0 refs=0 text=""`, `m1 raw=false to=1 refs=1 text="body"`}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("got %q, want %q", got, want)
	}
}
