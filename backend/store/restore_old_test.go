package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// oldBackup writes testdata/shop_v1.sql into a store at schema version 1,
// as the first versions of Tidings left it.
func oldBackup(t *testing.T) string {
	t.Helper()
	seed, err := os.ReadFile(filepath.Join("testdata", "shop_v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tidings-v1.db")
	if err := store.CreateAtVersion(context.Background(), path, 1, string(seed)); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRestoreOlderSchema restores a backup made at schema version 1, live
// (the window) and onto a closed store (the CLI): every migration since
// runs, and what the backup held reads back through today's code: the
// conversations and their counters, messages, an original stored as raw
// DEFLATE, an attachment, labels, a note, the search index; and the store
// takes new writes and verifies as a backup of its own.
func TestRestoreOlderSchema(t *testing.T) {
	ctx := context.Background()
	old := oldBackup(t)
	info, err := store.CheckBackup(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != 1 || info.Conversations != 2 || info.Messages != 3 || info.Contacts != 2 {
		t.Fatalf("the old backup: got %+v, want version 1 with 2 conversations, 3 messages, 2 contacts", info)
	}
	if err := store.CreateAtVersion(ctx, old, 1, ""); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("over an existing file: got %v", err)
	}
	if err := store.CreateAtVersion(ctx, filepath.Join(t.TempDir(), "x.db"), store.LatestVersion()+1, ""); err == nil {
		t.Error("a version past the latest: no error")
	}

	t.Run("live", func(t *testing.T) {
		st := openDemo(t)
		ri, err := st.RestoreLive(ctx, old, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// It reports the store as it is now: brought up to date.
		if ri.Version != store.LatestVersion() || ri.Messages != 3 || ri.Previous == "" {
			t.Errorf("restore info: got %+v", ri)
		}
		checkOldShop(t, st)
	})
	t.Run("closed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), store.FileName)
		st, err := store.Open(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		if _, err := store.Restore(ctx, old, path, time.Now()); err != nil {
			t.Fatal(err)
		}
		st, err = store.Open(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		checkOldShop(t, st)
	})
}

func checkOldShop(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	if v, err := st.Version(ctx); err != nil || v != store.LatestVersion() {
		t.Fatalf("schema after the restore: got %d, %v; want %d", v, err, store.LatestVersion())
	}
	sums, err := st.Conversations(ctx, store.ListFilter{})
	if err != nil || len(sums) != 2 {
		t.Fatalf("conversations: got %d, %v; want 2", len(sums), err)
	}
	byID := map[string]inbox.Summary{}
	for _, s := range sums {
		byID[s.ID] = s
	}
	pedal := byID["cv_pedal"]
	if pedal.Subject != "Pedal wobble" || pedal.MessageCount != 2 || pedal.Contact.Name != "Rita Olsen" || strings.Join(pedal.Labels, ",") != "Parts" {
		t.Errorf("the pedal conversation: got %+v", pedal)
	}
	if v := byID["cv_voucher"]; v.Status != inbox.StatusClosed || v.UnreadCount != 1 {
		t.Errorf("the voucher conversation: got status %s unread %d, want closed with 1 unread", v.Status, v.UnreadCount)
	}
	msgs, err := st.Messages(ctx, "cv_pedal")
	if err != nil || len(msgs) != 2 || msgs[0].Text != "The left pedal wobbles since Saturday." || msgs[1].Direction != inbox.Out {
		t.Fatalf("messages: got %+v, %v", msgs, err)
	}
	raw, err := st.RawMessage(ctx, "ms_pedal1")
	if err != nil || len(raw) != 193 || !bytes.Contains(raw, []byte("The left pedal wobbles since Saturday.\r\n")) {
		t.Errorf("the DEFLATE original: got %d bytes %q, %v", len(raw), raw, err)
	}
	if raw, err := st.RawMessage(ctx, "ms_voucher"); err != nil || !bytes.HasPrefix(raw, []byte("From: omar@old.example\r\n")) {
		t.Errorf("a plain original: got %q, %v", raw, err)
	}
	att, err := st.Attachment(ctx, "at_pedal")
	if err != nil || att.Name != "pedal.jpg" || !bytes.Equal(att.Data, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")) {
		t.Errorf("attachment: got %+v, %v", att, err)
	}
	notes, err := st.Notes(ctx, "cv_pedal", "")
	if err != nil || len(notes) != 1 || notes[0].Body != "Sent a replacement pedal from stock." {
		t.Errorf("notes: got %+v, %v", notes, err)
	}
	if v, _ := st.Setting(ctx, "layout"); !strings.Contains(v, `"sidebar":220`) {
		t.Errorf("the layout setting: got %q", v)
	}
	var seq int64
	if err := st.DB().QueryRowContext(ctx, `SELECT rowid FROM message_fts WHERE message_fts MATCH 'wobbles'`).Scan(&seq); err != nil || seq != 1 {
		t.Errorf("the old search index: 'wobbles' gave %d, %v; want message 1", seq, err)
	}
	// Today's code writes into the upgraded store, and it verifies.
	if err := st.AddNote(ctx, &inbox.Note{ConversationID: "cv_voucher", Body: "Vouchers from 10 to 100."}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(ctx, "cv_voucher", inbox.StatusOpen, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Backup(ctx, filepath.Join(t.TempDir(), "after.db")); err != nil {
		t.Errorf("the upgraded store does not verify as a backup: %v", err)
	}
}
