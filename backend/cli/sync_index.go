package cli

import (
	"context"
	"fmt"

	"tidings/backend/store"
)

// A bulk sync leaves the search index's merging until it is over
// (store.DeferFTSMerge): the sync command then merges it, as the window's
// upkeep does, so the first searches stay fast.

// mergeIndexIfWanted merges the search index when a bulk sync has asked
// for it; a failure is a warning (the index is whole, only slower).
func mergeIndexIfWanted(ctx context.Context, env *Env, st *store.Store) {
	select {
	case <-st.FTSMergeWanted():
	default:
		// No bulk sync here; one that died may have left merging off.
		if err := st.RestoreFTSMerge(ctx); err != nil && ctx.Err() == nil {
			fmt.Fprintln(env.Stderr, "tidings: warning: "+err.Error())
		}
		return
	}
	if _, err := st.MergeFTS(ctx, nil); err != nil && ctx.Err() == nil {
		fmt.Fprintln(env.Stderr, "tidings: warning: "+err.Error())
	}
}

// keepIndexMerged merges the search index after each bulk sync until ctx
// ends.
func keepIndexMerged(ctx context.Context, env *Env, st *store.Store) {
	if err := st.RestoreFTSMerge(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(env.Stderr, "tidings: warning: "+err.Error())
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-st.FTSMergeWanted():
		}
		if _, err := st.MergeFTS(ctx, nil); err != nil && ctx.Err() == nil {
			fmt.Fprintln(env.Stderr, "tidings: warning: "+err.Error())
		}
	}
}
