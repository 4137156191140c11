package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
	"tidings/backend/search"
	"tidings/backend/store"
)

// ConversationsQueryCap bounds the conversations `tidings conversations
// --query` considers: the newest matching ones.
const ConversationsQueryCap = 1000

func init() {
	SearchConversations = func(ctx context.Context, st *store.Store, query string, limit int) ([]string, error) {
		if limit <= 0 || limit > ConversationsQueryCap {
			limit = ConversationsQueryCap
		}
		res, err := search.New(st, nil).Search(ctx, search.Request{Query: query, Limit: limit})
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			ids = append(ids, h.ConversationID)
		}
		return ids, nil
	}
}

// SearchHitView is one row of `tidings search --json`: a conversation and
// the match that put it there.
type SearchHitView struct {
	ConversationID string `json:"conversation_id"`
	// MessageID is the newest (or best) matching message; "" when the match
	// is a private note (then NoteID is set).
	MessageID string `json:"message_id"`
	// Snippet is plain text around the first match.
	Snippet  string `json:"snippet"`
	NoteID   string `json:"note_id,omitempty"`
	Subject  string `json:"subject"`
	From     string `json:"from"`
	FromName string `json:"from_name,omitempty"`
	Date     string `json:"date"`
	// SnippetParts is the snippet cut where matches start and end, for
	// highlighting.
	SnippetParts []search.Part `json:"snippet_parts"`
}

// SearchOptions is one search request.
type SearchOptions struct {
	Query string `json:"query"`
	Limit int    `json:"limit"`
	// Order is "newest" (default) or "relevance".
	Order string `json:"order"`
	// After is SearchView.Next of the previous page.
	After string `json:"after"`
}

// SearchView is a page of search results.
type SearchView struct {
	Hits []SearchHitView `json:"hits"`
	// Next continues after this page; empty when there is no more.
	Next string `json:"next,omitempty"`
	// Plan says how the index was used (for the curious and the benchmark).
	Plan string `json:"plan"`
}

// Search runs a query of the search language.
func (w *Workspace) Search(ctx context.Context, o SearchOptions) (SearchView, error) {
	s := search.New(w.Store, &search.Options{Now: w.Now})
	res, err := s.Search(ctx, search.Request{Query: o.Query, Limit: o.Limit, Order: search.Order(o.Order), After: o.After})
	if err != nil {
		return SearchView{}, err
	}
	v := SearchView{Hits: make([]SearchHitView, 0, len(res.Hits)), Next: res.Next, Plan: res.Plan}
	for _, h := range res.Hits {
		parts := h.Snippet
		if parts == nil {
			parts = search.Snippet{}
		}
		v.Hits = append(v.Hits, SearchHitView{ConversationID: h.ConversationID, MessageID: h.MessageID, NoteID: h.NoteID,
			Snippet: h.Snippet.Text(), SnippetParts: parts, Subject: h.Subject, From: h.From, FromName: h.FromName, Date: rfc3339(h.Date)})
	}
	return v, nil
}

// QueryCheck says whether a query is well formed, and if not where the
// mistake is (in characters), so the search box can point at it as the user
// types.
type QueryCheck struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Pos   int    `json:"pos"`
	Len   int    `json:"len"`
}

// CheckQuery parses a query without running it.
func (w *Workspace) CheckQuery(query string) QueryCheck {
	_, err := search.Parse(query, &search.Options{Now: w.Now})
	var e *search.Error
	if errors.As(err, &e) {
		return QueryCheck{Error: e.Msg, Pos: e.Pos, Len: e.Len}
	}
	return QueryCheck{OK: true}
}

// SavedSearches lists the saved searches by name.
func (w *Workspace) SavedSearches(ctx context.Context) ([]SavedSearchView, error) {
	list, err := w.Store.SavedSearches(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SavedSearchView, 0, len(list))
	for _, s := range list {
		out = append(out, SavedSearchView{ID: s.ID, Name: s.Name, Query: s.Query})
	}
	return out, nil
}

// SaveSearch keeps a well-formed query under a name. Saving a name again
// replaces its query.
func (w *Workspace) SaveSearch(ctx context.Context, name, query string) (SavedSearchView, error) {
	name, query = strings.TrimSpace(name), strings.TrimSpace(query)
	if name == "" {
		return SavedSearchView{}, fmt.Errorf("workspace: a saved search needs a name: %w", inbox.ErrInvalid)
	}
	if _, err := search.Parse(query, &search.Options{Now: w.Now}); err != nil {
		return SavedSearchView{}, err
	}
	if old, err := w.SavedSearch(ctx, name); err == nil {
		if err := w.Store.DeleteSavedSearch(ctx, old.ID); err != nil {
			return SavedSearchView{}, err
		}
	}
	s := inbox.SavedSearch{Name: name, Query: query}
	if err := w.Store.SaveSearch(ctx, &s); err != nil {
		return SavedSearchView{}, err
	}
	return SavedSearchView{ID: s.ID, Name: s.Name, Query: s.Query}, nil
}

// SavedSearch finds a saved search by ID or name (case-insensitive).
func (w *Workspace) SavedSearch(ctx context.Context, idOrName string) (SavedSearchView, error) {
	list, err := w.SavedSearches(ctx)
	if err != nil {
		return SavedSearchView{}, err
	}
	for _, s := range list {
		if s.ID == idOrName || strings.EqualFold(s.Name, idOrName) {
			return s, nil
		}
	}
	return SavedSearchView{}, fmt.Errorf("workspace: no saved search %q: %w", idOrName, inbox.ErrNotFound)
}

// DeleteSavedSearch removes a saved search by ID or name.
func (w *Workspace) DeleteSavedSearch(ctx context.Context, idOrName string) error {
	s, err := w.SavedSearch(ctx, idOrName)
	if err != nil {
		return err
	}
	return w.Store.DeleteSavedSearch(ctx, s.ID)
}

// SavedSearchResults opens a saved search as a view: a page of its results.
func (w *Workspace) SavedSearchResults(ctx context.Context, idOrName string, limit int, after string) (SearchView, error) {
	s, err := w.SavedSearch(ctx, idOrName)
	if err != nil {
		return SearchView{}, err
	}
	return w.Search(ctx, SearchOptions{Query: s.Query, Limit: limit, After: after})
}
