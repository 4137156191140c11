package connectors

import (
	"context"
	"fmt"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// SyncResult says what one sync of a chat account stored.
type SyncResult struct {
	Stored      int `json:"stored"`
	Duplicates  int `json:"duplicates"`
	Rejected    int `json:"rejected"`
	Reopened    int `json:"reopened"`
	Suggestions int `json:"suggestions"`
}

// SyncOnce fetches everything waiting for a chat account (see Chat) and
// stores it with its cursor, recording the outcome on the account. `tidings
// sync --once` calls it for every account that is not email.
func SyncOnce(ctx context.Context, st *store.Store, acct inbox.Account, secrets channels.Secrets) (SyncResult, error) {
	switch acct.Channel {
	case inbox.ChannelTelegram:
		r, err := telegram.SyncOnce(ctx, st, acct, secrets, nil)
		return SyncResult{Stored: r.Stored, Duplicates: r.Duplicates, Rejected: r.Rejected, Reopened: r.Reopened, Suggestions: r.Suggestions}, err
	}
	return SyncResult{}, fmt.Errorf("connectors: syncing %s accounts is %w", acct.Channel, inbox.ErrNotAvailable)
}
