package app

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

func TestPrefetchLimit(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	a := New(ws, nil)
	if n, err := a.GetPrefetchLimit(); err != nil || n != 0 {
		t.Errorf("fresh store: GetPrefetchLimit = %d, %v; want 0 (no limit)", n, err)
	}
	if err := a.SetPrefetchLimit(5 << 20); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.GetPrefetchLimit(); n != 5<<20 {
		t.Errorf("got %d, want %d", n, 5<<20)
	}
	if v, _ := ws.Store.Setting(ctx, PrefetchSettingKey); v != "5242880" {
		t.Errorf("setting %s = %q, want 5242880", PrefetchSettingKey, v)
	}
	for _, bad := range []int64{-1, 1 << 40} {
		if err := a.SetPrefetchLimit(bad); !errors.Is(err, inbox.ErrInvalid) {
			t.Errorf("SetPrefetchLimit(%d) = %v, want ErrInvalid", bad, err)
		}
	}
	if n, _ := a.GetPrefetchLimit(); n != 5<<20 {
		t.Errorf("a refused value changed the limit to %d", n)
	}
	ws.Store.SetSetting(ctx, PrefetchSettingKey, "lots")
	if n, err := a.GetPrefetchLimit(); err != nil || n != 0 {
		t.Errorf("garbled setting: %d, %v; want 0, nil", n, err)
	}
}

func TestAttachmentsOffline(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := demo.Seed(ctx, ws.Store, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := New(ws, nil)
	var attID, convID string
	err = ws.Store.DB().QueryRowContext(ctx, `SELECT a.id, m.conversation_id FROM attachments a JOIN messages m ON m.seq = a.seq LIMIT 1`).Scan(&attID, &convID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.AttachmentData(attID)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := base64.StdEncoding.DecodeString(f.Data)
	if len(data) == 0 || int64(len(data)) != f.Size || f.Name == "" {
		t.Errorf("AttachmentData = %s, %d bytes (size %d)", f.Name, len(data), f.Size)
	}
	if ids, err := a.UnfetchedAttachments(convID); err != nil || len(ids) != 0 {
		t.Errorf("UnfetchedAttachments = %v, %v; want none", ids, err)
	}
	// An attachment listed but not downloaded.
	if err := ws.Store.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE attachments SET fetched = 0, data = NULL WHERE id = ?`, attID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if ids, err := a.UnfetchedAttachments(convID); err != nil || len(ids) != 1 || ids[0] != attID {
		t.Errorf("UnfetchedAttachments = %v, %v; want [%s]", ids, err, attID)
	}
	if _, err := a.AttachmentData(attID); !errors.Is(err, inbox.ErrNotAvailable) {
		t.Errorf("AttachmentData(unfetched) = %v, want ErrNotAvailable", err)
	}
	if _, err := a.AttachmentData("nope"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("AttachmentData(unknown) = %v, want ErrNotFound", err)
	}
}

func TestMergeIndexOnce(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := demo.Seed(ctx, ws.Store, time.Now()); err != nil {
		t.Fatal(err)
	}
	a := New(ws, nil)
	before, err := a.Search("helmet", 0)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := mergeIndexOnce(ctx, ws.Store)
	if err != nil || !rep.Done {
		t.Fatalf("mergeIndexOnce = %+v, %v", rep, err)
	}
	after, err := a.Search("helmet", 0)
	if err != nil || len(after.Hits) != len(before.Hits) {
		t.Errorf("after merging: %d hits, %v; want %d", len(after.Hits), err, len(before.Hits))
	}
}
