package app

import (
	"context"
	"testing"

	"tidings/backend/workspace"
)

func TestWindowStoreCache(t *testing.T) {
	ws, err := workspace.OpenWith(context.Background(), t.TempDir(), WindowStoreOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var kib int
	if err := ws.Store.DB().QueryRow(`PRAGMA cache_size`).Scan(&kib); err != nil {
		t.Fatal(err)
	}
	if want := -WindowCacheMiB * 1024; kib != want {
		t.Errorf("window store cache_size: got %d, want %d (KiB, negative)", kib, want)
	}
}
