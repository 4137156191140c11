package app

import (
	"strings"

	"tidings/backend/workspace"
)

// Search runs a query of the search language for the search box: the newest
// limit conversations (50 when limit is 0). A blank query finds nothing
// rather than failing, so the box can be cleared; a malformed one rejects
// with the mistake and its column (CheckQuery gives the position as data).
func (a *Inbox) Search(query string, limit int) (workspace.SearchView, error) {
	return a.SearchPage(workspace.SearchOptions{Query: query, Limit: limit})
}

// SearchPage is Search with every option: order ("newest" or "relevance")
// and a cursor (After, from the previous page's Next). Starting one cancels
// the search box's search still running (search_cancel.go).
func (a *Inbox) SearchPage(o workspace.SearchOptions) (workspace.SearchView, error) {
	if strings.TrimSpace(o.Query) == "" {
		return workspace.SearchView{Hits: []workspace.SearchHitView{}}, nil
	}
	ctx, done := a.newestSearch()
	defer done()
	return a.ws.Search(ctx, o)
}

// CheckQuery tells the search box, as the user types, whether the query is
// well formed and where the mistake is.
func (a *Inbox) CheckQuery(query string) workspace.QueryCheck {
	if strings.TrimSpace(query) == "" {
		return workspace.QueryCheck{OK: true}
	}
	return a.ws.CheckQuery(query)
}

// SavedSearches lists the saved searches, shown in the sidebar as views.
func (a *Inbox) SavedSearches() ([]workspace.SavedSearchView, error) {
	return a.ws.SavedSearches(a.ctx)
}

// SaveSearch keeps a well-formed query as a view; saving a name again
// replaces its query.
func (a *Inbox) SaveSearch(name, query string) (workspace.SavedSearchView, error) {
	v, err := a.ws.SaveSearch(a.ctx, name, query)
	if err == nil {
		a.changed()
	}
	return v, err
}

// DeleteSavedSearch removes a saved search by ID or name.
func (a *Inbox) DeleteSavedSearch(id string) error {
	err := a.ws.DeleteSavedSearch(a.ctx, id)
	if err == nil {
		a.changed()
	}
	return err
}

// SavedSearchResults opens a saved search as a view: one page of results.
// Like SearchPage, it cancels the box's search still running.
func (a *Inbox) SavedSearchResults(id string, limit int, after string) (workspace.SearchView, error) {
	ctx, done := a.newestSearch()
	defer done()
	return a.ws.SavedSearchResults(ctx, id, limit, after)
}
