package app

import (
	"context"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/workspace"
)

type searchRecorder struct{ names []string }

func (r *searchRecorder) Emit(name string, _ ...any) { r.names = append(r.names, name) }

func TestInboxSearch(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, err := demo.Seed(ctx, ws.Store, time.Now()); err != nil {
		t.Fatal(err)
	}
	rec := &searchRecorder{}
	a := New(ws, rec)
	if v, err := a.Search("  ", 0); err != nil || len(v.Hits) != 0 || v.Hits == nil {
		t.Errorf("blank query = %+v, %v; want an empty list", v, err)
	}
	v, err := a.Search("helmet", 0)
	if err != nil || len(v.Hits) < 2 {
		t.Fatalf("Search = %d hits, %v", len(v.Hits), err)
	}
	if _, err := a.Search("helmet OR", 0); err == nil {
		t.Error("malformed query: no error")
	}
	if c := a.CheckQuery("helmet OR"); c.OK || c.Pos != 7 {
		t.Errorf("CheckQuery = %+v", c)
	}
	if _, err := a.SaveSearch("Helmets", "helmet"); err != nil {
		t.Fatal(err)
	}
	if len(rec.names) != 1 || rec.names[0] != EventChanged {
		t.Errorf("events = %v, want one %s", rec.names, EventChanged)
	}
	list, err := a.SavedSearches()
	if err != nil || len(list) == 0 {
		t.Fatalf("SavedSearches = %v, %v", list, err)
	}
	r, err := a.SavedSearchResults("Helmets", 1, "")
	if err != nil || len(r.Hits) != 1 || r.Next == "" {
		t.Errorf("SavedSearchResults = %+v, %v", r, err)
	}
	if err := a.DeleteSavedSearch("Helmets"); err != nil {
		t.Error(err)
	}
}
