package workspace

import (
	"context"
	"testing"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// The sidebar's account and channel views carry the same unread counts as
// their lists, and a conversation marked read leaves them.
func TestOverviewUnreadPerAccountAndChannel(t *testing.T) {
	ws := demoWorkspace(t)
	ctx := context.Background()
	o, err := ws.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Accounts) < 2 {
		t.Fatalf("the demo has %d accounts, want two channels' worth", len(o.Accounts))
	}
	unreadOf := func(f store.ListFilter) []inbox.Summary {
		f.Unread = true
		got, err := ws.Store.Conversations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	var some inbox.Summary
	sum := 0
	for _, a := range o.Accounts {
		want := unreadOf(store.ListFilter{AccountID: a.ID})
		if o.AccountUnread[a.ID] != len(want) {
			t.Errorf("account %s: unread %d, its list has %d", a.Name, o.AccountUnread[a.ID], len(want))
		}
		if len(want) > 0 {
			some = want[0]
		}
		sum += o.AccountUnread[a.ID]
	}
	if sum == 0 {
		t.Fatal("the demo has no unread conversation on any account")
	}
	for ch, n := range o.ChannelUnread {
		if want := unreadOf(store.ListFilter{Channel: inbox.Channel(ch)}); n != len(want) {
			t.Errorf("channel %s: unread %d, its list has %d", ch, n, len(want))
		}
	}
	if err := ws.Store.MarkRead(ctx, some.ID, true); err != nil {
		t.Fatal(err)
	}
	after, err := ws.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	acct := some.AccountID
	if after.AccountUnread[acct] != o.AccountUnread[acct]-1 {
		t.Errorf("after marking %s read: account unread %d, want %d", some.ID, after.AccountUnread[acct], o.AccountUnread[acct]-1)
	}
	ch := string(some.Channel)
	if after.ChannelUnread[ch] != o.ChannelUnread[ch]-1 {
		t.Errorf("after marking %s read: channel unread %d, want %d", some.ID, after.ChannelUnread[ch], o.ChannelUnread[ch]-1)
	}
}
