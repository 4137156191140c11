package telegram

import (
	"context"
	"io"
	"time"

	"tidings/backend/channels"
	"tidings/backend/identity"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// SyncResult says what SyncOnce did.
type SyncResult struct {
	Stored, Duplicates, Rejected, Reopened, Edited int
	// Suggestions counts new merge suggestions.
	Suggestions   int
	Conversations []string
}

// SyncOptions tune SyncOnce; nil means defaults.
type SyncOptions struct {
	// Connector replaces the one built from the account (tests).
	Connector channels.Connector
	// MaxRounds bounds the batches fetched (default 1000 × 100 updates).
	MaxRounds int
	Debug     io.Writer
}

// SyncOnce fetches every waiting update of a Telegram account without long
// polling, storing each batch with its offset in one transaction, records
// the outcome on the account (last sync, last error with what to do) and
// refreshes merge suggestions. `tidings sync --once` calls it for Telegram
// accounts.
func SyncOnce(ctx context.Context, st *store.Store, acct inbox.Account, secrets channels.Secrets, opt *SyncOptions) (SyncResult, error) {
	if opt == nil {
		opt = &SyncOptions{}
	}
	if opt.MaxRounds <= 0 {
		opt.MaxRounds = 1000
	}
	var res SyncResult
	err := syncOnce(ctx, st, acct, secrets, opt, &res)
	errText := ""
	if err != nil {
		errText = channels.Describe(err)
	}
	if rerr := st.SetAccountSync(context.WithoutCancel(ctx), acct.ID, errText); rerr != nil && err == nil {
		err = rerr
	}
	if res.Stored > 0 {
		if n, serr := identity.Refresh(ctx, st); serr == nil {
			res.Suggestions = n
		} else if err == nil {
			err = serr
		}
	}
	return res, err
}

func syncOnce(ctx context.Context, st *store.Store, acct inbox.Account, secrets channels.Secrets, opt *SyncOptions, res *SyncResult) error {
	conn := opt.Connector
	if conn == nil {
		c, err := Factory(acct, secrets)
		if err != nil {
			return err
		}
		tc := c.(*Connector)
		tc.opt.PollTimeout = 0
		tc.c.http.Timeout = 60 * time.Second
		tc.c.debug = opt.Debug
		conn = tc
	}
	defer conn.Close()
	if err := conn.Connect(ctx); err != nil {
		return err
	}
	for range opt.MaxRounds {
		a, changed, err := channels.SyncRound(ctx, st, acct, conn)
		if err != nil {
			return err
		}
		res.Stored += a.Stored
		res.Duplicates += a.Duplicates
		res.Rejected += a.Rejected
		res.Reopened += a.Reopened
		res.Edited += a.Edited
		res.Conversations = append(res.Conversations, a.Conversations...)
		if !changed {
			return nil
		}
	}
	return nil
}
