package syncer

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tidings/backend/export"
)

// An export that downloads messages stored incomplete reports its progress
// through them, and skipping the downloads midway goes on at once: what
// was downloaded is whole, the rest is exported as stored and each is named
// as skipped; the export itself is written.
func TestExportDownloadProgressAndSkip(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.st.SetSetting(h.ctx, PrefetchSetting, "20000"); err != nil {
		t.Fatal(err)
	}
	const n = 4
	for i := 1; i <= n; i++ {
		raw, _ := withAttachment(i, 50000)
		h.save("INBOX", raw)
	}
	h.sync()
	if got := h.count(`SELECT count(*) FROM messages WHERE body_state <> 0`); got != n {
		t.Fatalf("%d messages stored incomplete, want %d", got, n)
	}

	skip := make(chan struct{})
	var mu sync.Mutex
	var calls [][2]int
	var once sync.Once
	o := export.Options{Format: export.MBOX, Out: filepath.Join(t.TempDir(), "all.mbox"), Complete: h.sy.FetchOriginals, SkipDownloads: skip,
		DownloadProgress: func(done, total int) {
			mu.Lock()
			calls = append(calls, [2]int{done, total})
			mu.Unlock()
			if done >= 1 {
				// The owner presses "Skip downloads" after the first.
				once.Do(func() { close(skip); time.Sleep(200 * time.Millisecond) })
			}
		}}
	res, err := export.Export(h.ctx, h.st, o)
	if err != nil {
		t.Fatalf("export after skipping: %v", err)
	}
	if res.Messages != n {
		t.Errorf("exported %d messages, want all %d", res.Messages, n)
	}
	whole := n - h.count(`SELECT count(*) FROM messages WHERE body_state <> 0`)
	if whole < 1 || len(res.Incomplete) == 0 || whole+len(res.Incomplete) != n {
		t.Errorf("downloaded whole %d, named incomplete %d, want at least one of each adding up to %d", whole, len(res.Incomplete), n)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w, "you skipped the download") {
			t.Errorf("warning %q does not say the download was skipped", w)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) == 0 || calls[0][1] != n || calls[len(calls)-1] != [2]int{n, n} {
		t.Errorf("download progress %v, want counts of %d ending at %d of %d", calls, n, n, n)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] {
			t.Errorf("download progress went back: %v", calls)
		}
	}
}
