package workspace

import (
	"context"
	"errors"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/inbox"
)

func demoWorkspace(t *testing.T) *Workspace {
	t.Helper()
	ctx := context.Background()
	ws, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if _, err := demo.Seed(ctx, ws.Store, time.Now()); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestWorkspaceSearch(t *testing.T) {
	ws := demoWorkspace(t)
	ctx := context.Background()
	v, err := ws.Search(ctx, SearchOptions{Query: "helmet", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Hits) != 1 || v.Next == "" {
		t.Fatalf("got %d hits, next %q; want 1 and a next page", len(v.Hits), v.Next)
	}
	h := v.Hits[0]
	if h.ConversationID == "" || h.MessageID == "" || h.Date == "" || len(h.SnippetParts) == 0 {
		t.Errorf("hit = %+v", h)
	}
	more, err := ws.Search(ctx, SearchOptions{Query: "helmet", Limit: 1, After: v.Next})
	if err != nil || len(more.Hits) != 1 || more.Hits[0].ConversationID == h.ConversationID {
		t.Errorf("second page = %+v, %v", more.Hits, err)
	}
	if _, err := ws.Search(ctx, SearchOptions{Query: "helmet", Order: "relevance"}); err != nil {
		t.Errorf("relevance: %v", err)
	}
	if _, err := ws.Search(ctx, SearchOptions{Query: "from:"}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("malformed query: err = %v, want ErrInvalid", err)
	}
	// The conversations list takes the same queries.
	list, err := ws.Conversations(ctx, ListOptions{Query: "helmet", Limit: 10})
	if err != nil || len(list) < 2 {
		t.Errorf("Conversations(query) = %d rows, %v", len(list), err)
	}
}

func TestWorkspaceCheckQuery(t *testing.T) {
	ws := demoWorkspace(t)
	if c := ws.CheckQuery(`late "delivery`); c.OK || c.Pos != 5 || c.Len != 9 || c.Error == "" {
		t.Errorf("CheckQuery = %+v, want an error at 5 spanning 9", c)
	}
	if c := ws.CheckQuery("late delivery"); !c.OK {
		t.Errorf("CheckQuery = %+v, want OK", c)
	}
}

func TestWorkspaceSavedSearches(t *testing.T) {
	ws := demoWorkspace(t)
	ctx := context.Background()
	before, _ := ws.SavedSearches(ctx)
	if _, err := ws.SaveSearch(ctx, "Helmets", "helmet -order"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SaveSearch(ctx, "helmets", "helmet"); err != nil {
		t.Fatal(err)
	}
	after, _ := ws.SavedSearches(ctx)
	if len(after) != len(before)+1 {
		t.Errorf("saving a name twice: %d saved searches, want %d", len(after), len(before)+1)
	}
	s, err := ws.SavedSearch(ctx, "HELMETS")
	if err != nil || s.Query != "helmet" {
		t.Errorf("SavedSearch = %+v, %v; want the replaced query", s, err)
	}
	if _, err := ws.SaveSearch(ctx, "Broken", `"unclosed`); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("saving a malformed query: %v, want ErrInvalid", err)
	}
	if _, err := ws.SaveSearch(ctx, " ", "helmet"); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("saving without a name: %v, want ErrInvalid", err)
	}
	v, err := ws.SavedSearchResults(ctx, "helmets", 50, "")
	if err != nil || len(v.Hits) < 2 {
		t.Errorf("SavedSearchResults = %d hits, %v", len(v.Hits), err)
	}
	o, err := ws.Overview(ctx)
	found := false
	for _, ss := range o.SavedSearches {
		found = found || ss.Name == "helmets"
	}
	if err != nil || !found {
		t.Errorf("the sidebar does not list the saved search: %+v, %v", o.SavedSearches, err)
	}
	if err := ws.DeleteSavedSearch(ctx, "helmets"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SavedSearch(ctx, "helmets"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("after delete: %v, want ErrNotFound", err)
	}
}
