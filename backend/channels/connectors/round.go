package connectors

import (
	"context"

	"tidings/backend/channels"
	"tidings/backend/identity"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Round is the Runner's Syncer for chat channels: one receive (a long poll)
// stored with its cursors, the account's last sync recorded, merge
// suggestions refreshed when messages arrived, and onChange told which
// conversations changed.
func Round(st *store.Store, onChange func(convIDs []string)) channels.Syncer {
	return func(ctx context.Context, acct inbox.Account, conn channels.Connector) error {
		a, changed, err := channels.SyncRound(ctx, st, acct, conn)
		if err != nil || !changed {
			return err
		}
		if err := st.SetAccountSync(ctx, acct.ID, ""); err != nil {
			return err
		}
		if a.Stored > 0 {
			if _, err := identity.Refresh(ctx, st); err != nil {
				return err
			}
		}
		if onChange != nil && len(a.Conversations) > 0 {
			onChange(a.Conversations)
		}
		return nil
	}
}
