package workspace

import (
	"context"

	"tidings/backend/inbox"
)

// ViewCount is a sidebar entry: how many conversations a view holds and how
// many of them are unread.
type ViewCount struct {
	Total  int `json:"total"`
	Unread int `json:"unread"`
}

// LabelView is a label with its colour and use count.
type LabelView struct {
	Name  string `json:"name"`
	Color string `json:"color"`
	Count int    `json:"count"`
}

// SavedSearchView is a saved search shown as a sidebar view.
type SavedSearchView struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"`
}

// Overview is what the sidebar shows.
type Overview struct {
	DataDir       string               `json:"data_dir"`
	Empty         bool                 `json:"empty"`
	Statuses      map[string]ViewCount `json:"statuses"`
	Labels        []LabelView          `json:"labels"`
	Accounts      []AccountView        `json:"accounts"`
	SavedSearches []SavedSearchView    `json:"saved_searches"`
	// Conversations with unread messages per account ID and per channel,
	// for the sidebar's account and channel views; absent means none.
	AccountUnread map[string]int `json:"account_unread"`
	ChannelUnread map[string]int `json:"channel_unread"`
}

// Overview gathers the sidebar's counts, labels, accounts and saved searches.
func (w *Workspace) Overview(ctx context.Context) (Overview, error) {
	o := Overview{DataDir: w.Dir, Statuses: map[string]ViewCount{}, Labels: []LabelView{}, SavedSearches: []SavedSearchView{}}
	total, unread, err := w.Store.StatusCounts(ctx)
	if err != nil {
		return o, err
	}
	all := ViewCount{}
	for _, st := range inbox.Statuses {
		v := ViewCount{Total: total[st], Unread: unread[st]}
		o.Statuses[string(st)] = v
		all.Total += v.Total
		all.Unread += v.Unread
	}
	o.Statuses["all"] = all
	labels, err := w.Store.Labels(ctx)
	if err != nil {
		return o, err
	}
	counts, err := w.Store.LabelCounts(ctx)
	if err != nil {
		return o, err
	}
	for _, l := range labels {
		o.Labels = append(o.Labels, LabelView{Name: l.Name, Color: l.Color, Count: counts[l.Name]})
	}
	if o.Accounts, err = w.Accounts(ctx); err != nil {
		return o, err
	}
	if o.AccountUnread, o.ChannelUnread, err = w.Store.UnreadByAccount(ctx); err != nil {
		return o, err
	}
	ss, err := w.Store.SavedSearches(ctx)
	if err != nil {
		return o, err
	}
	for _, s := range ss {
		o.SavedSearches = append(o.SavedSearches, SavedSearchView{ID: s.ID, Name: s.Name, Query: s.Query})
	}
	o.Empty = all.Total == 0 && len(o.Accounts) == 0
	return o, nil
}
