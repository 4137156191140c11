package search

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// BenchmarkMergedIndex times the same searches on an index written the way
// sync writes it (a segment per batch of 50 messages) and after MergeFTS.
// TIDINGS_BENCH_MERGE_N sets the number of messages (default 20000).
//
//	TIDINGS_BENCH_MERGE_N=100000 go test ./backend/search -run '^$' -bench MergedIndex -benchtime 30x -v
func BenchmarkMergedIndex(b *testing.B) {
	benchMergeN := 20000
	if v, err := strconv.Atoi(os.Getenv("TIDINGS_BENCH_MERGE_N")); err == nil && v > 0 {
		benchMergeN = v - v%50
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "t.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := rand.New(rand.NewSource(1))
	vocab := make([]string, 4000)
	for i := range vocab {
		w := ""
		for n := i + 26*26; n > 0; n /= 26 {
			w += string(rune('a' + n%26))
		}
		vocab[i] = w + "o"
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 50
	for done := 0; done < benchMergeN; done += batch {
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			for i := done; i < done+batch; i++ {
				c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: text(5)}
				if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
					return err
				}
				at := start.Add(time.Duration(i) * time.Minute)
				m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, Date: at, ReceivedAt: at,
					From: inbox.Address{Name: "Customer", Address: fmt.Sprintf("c%d@example.com", i%500)}, Subject: c.Subject, Text: text(60)}
				if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	s := New(st, nil)
	// Rare, middling and common words, and two words together.
	queries := []struct{ name, q string }{
		{"rare", vocab[3000]}, {"middling", vocab[300]}, {"common", vocab[5]},
		{"two-words", vocab[300] + " " + vocab[60]}, {"or", vocab[1500] + " OR " + vocab[2500]},
	}
	runAll := func(b *testing.B) {
		for _, q := range queries {
			b.Run(q.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.Search(ctx, Request{Query: q.q, Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("segments", runAll)
	t0 := time.Now()
	rep, err := st.MergeFTS(ctx, nil)
	if err != nil || !rep.Done {
		b.Fatalf("MergeFTS = %+v, %v", rep, err)
	}
	b.Logf("%d messages: merged in %d steps, %s", benchMergeN, rep.Steps["message_fts"], time.Since(t0).Round(time.Millisecond))
	b.Run("merged", runAll)
}
