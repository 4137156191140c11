package channels

import (
	"context"
	"fmt"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// SyncRound receives one batch after the account's saved cursors and stores
// it with Apply. It is the Runner's usual Syncer body.
func SyncRound(ctx context.Context, st *store.Store, acct inbox.Account, conn Connector) (Applied, bool, error) {
	cursors, err := st.Cursors(ctx, acct.ID)
	if err != nil {
		return Applied{}, false, fmt.Errorf("channels: cursors of %s: %w", acct.Name, err)
	}
	b, err := conn.Receive(ctx, cursors)
	if err != nil {
		return Applied{}, false, err
	}
	if b.Empty() {
		return Applied{}, false, nil
	}
	b.Threads = b.Threads || conn.Capabilities().Threads
	res, err := Apply(ctx, st, acct, b)
	return res, true, err
}
