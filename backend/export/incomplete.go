package export

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/store"
)

// completeOriginals runs before anything is written: the selected messages
// stored without all of their original (only the header downloaded, or
// attachments left on the server above the download limit) are handed to
// o.Complete to be downloaded whole. Those still incomplete are exported as
// they are stored, and named in res (Incomplete, Warnings): an export never
// lacks part of a message silently.
func completeOriginals(ctx context.Context, st *store.Store, ids []string, o Options, res *Result) error {
	inc, err := st.IncompleteMessages(ctx, ids)
	if err != nil || len(inc) == 0 {
		return err
	}
	failed := map[string]error{}
	skipped := false
	if o.Complete != nil {
		msgIDs := make([]string, len(inc))
		for i, m := range inc {
			msgIDs[i] = m.ID
		}
		dctx, stop := context.WithCancel(ctx)
		if o.SkipDownloads != nil {
			go func() {
				select {
				case <-o.SkipDownloads:
					stop()
				case <-dctx.Done():
				}
			}()
		}
		failed = o.Complete(dctx, msgIDs, o.DownloadProgress)
		skipped = dctx.Err() != nil
		stop()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	for _, m := range inc {
		why, ok := failed[m.ID]
		if o.Complete != nil && !ok {
			continue // downloaded whole
		}
		if skipped {
			why = errSkipped
		}
		res.Incomplete = append(res.Incomplete, m.ID)
		res.Warnings = append(res.Warnings, incompleteWarning(m, why))
	}
	return nil
}

// errSkipped is why a message was not downloaded when the owner skipped
// the downloads.
var errSkipped = errors.New("you skipped the download")

// incompleteWarning says which message an export holds only in part, what
// it lacks, and why it was not downloaded.
func incompleteWarning(m store.Incomplete, why error) string {
	lacks := "its body (only the header was downloaded)"
	if !m.HeaderOnly {
		lacks = strings.Join(m.Missing, ", ") + " (left on the server)"
	}
	reason := "no download was attempted"
	if why != nil {
		reason = why.Error()
	}
	return fmt.Sprintf("message %q of %s (%s) is exported without %s: %s", m.Subject, m.Date.UTC().Format("2006-01-02 15:04"), m.ID, lacks, reason)
}
