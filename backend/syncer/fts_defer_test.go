package syncer

import "testing"

// TestBulkSyncDefersIndexMerge: a sync of several batches leaves one
// full-text segment per batch (no merging on the writer meanwhile), puts
// the ordinary merge settings back when it ends and asks for the merge
// (store.FTSMergeWanted), after which one segment holds every message.
func TestBulkSyncDefersIndexMerge(t *testing.T) {
	h := newHarness(t, &Options{BatchMessages: 4, HeadersFirst: -1})
	const n = 40
	for i := 1; i <= n; i++ {
		h.save("INBOX", customer(i, ""))
	}
	if got := h.sync().New(); got != n {
		t.Fatalf("new messages: got %d, want %d", got, n)
	}
	segs, err := h.st.FTSSegments(h.ctx)
	if err != nil || segs < n/4 {
		t.Fatalf("segments after the sync: got %d, %v, want at least %d (one per batch, none merged)", segs, err, n/4)
	}
	var auto, crisis string
	h.st.DB().QueryRow(`SELECT v FROM message_fts_config WHERE k = 'automerge'`).Scan(&auto)
	h.st.DB().QueryRow(`SELECT v FROM message_fts_config WHERE k = 'crisismerge'`).Scan(&crisis)
	if auto != "16" || crisis != "16" {
		t.Errorf("merge settings after the sync: automerge %q crisismerge %q, want 16 and 16", auto, crisis)
	}
	select {
	case <-h.st.FTSMergeWanted():
	default:
		t.Fatal("the sync did not ask for the index merge")
	}
	if _, err := h.st.MergeFTS(h.ctx, nil); err != nil {
		t.Fatal(err)
	}
	if segs, err := h.st.FTSSegments(h.ctx); err != nil || segs != 1 {
		t.Errorf("segments after the merge: got %d, %v, want 1", segs, err)
	}
	if got := h.count(`SELECT count(*) FROM message_fts WHERE message_fts MATCH 'question'`); got != n {
		t.Errorf("messages found by 'question' after the merge: got %d, want %d", got, n)
	}
}
