package syncer

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// benchCorpus makes n messages shaped like scripts/benchemail's corpus:
// customers writing and replying, a third with HTML, a fifth with a
// 20-200 KB attachment.
func benchCorpus(n int) [][]byte {
	rng := rand.New(rand.NewSource(1))
	words := strings.Fields("the order bike wheel delivery invoice please thanks when can you send my we your and for with this that have from size frame price payment question repair brake chain tyre")
	for len(words) < 3000 {
		words = append(words, fmt.Sprintf("w%dx%d", len(words), rng.Intn(100)))
	}
	text := func(size int) string {
		var b strings.Builder
		for b.Len() < size {
			b.WriteString(words[int(rng.ExpFloat64()*300)%len(words)])
			b.WriteString(" ")
			if rng.Intn(12) == 0 {
				b.WriteString("\r\n")
			}
		}
		return b.String()
	}
	var out [][]byte
	var ids []string
	for i := 0; i < n; i++ {
		cust := int(rng.ExpFloat64()*200) % 3000
		id := fmt.Sprintf("<m%d.%d@customer%d.example>", i, rng.Int63(), cust)
		date := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 17 * time.Minute)
		var h strings.Builder
		fmt.Fprintf(&h, "From: Customer %d <c%d@customer%d.example>\r\nTo: Shop <%s>\r\nDate: %s\r\nMessage-ID: %s\r\n", cust, cust, cust, user, date.Format(time.RFC1123Z), id)
		subject := fmt.Sprintf("Order %d: %s", 10000+rng.Intn(90000), words[rng.Intn(40)])
		if len(ids) > 0 && rng.Intn(10) < 3 {
			p := ids[rng.Intn(len(ids))]
			subject = "Re: " + subject
			fmt.Fprintf(&h, "In-Reply-To: %s\r\nReferences: %s\r\n", p, p)
		}
		ids = append(ids, id)
		fmt.Fprintf(&h, "Subject: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n", subject)
		t := text(1500 + rng.Intn(6000))
		h.WriteString("--outer\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + t + "\r\n")
		if rng.Intn(3) == 0 {
			h.WriteString("--outer\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>" + t + "</p>\r\n")
		}
		if rng.Intn(5) == 0 {
			data := make([]byte, 20000+rng.Intn(180000))
			rng.Read(data)
			enc := base64.StdEncoding.EncodeToString(data)
			fmt.Fprintf(&h, "--outer\r\nContent-Type: application/pdf; name=\"invoice-%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i)
			for k := 0; k < len(enc); k += 76 {
				h.WriteString(enc[k:min(k+76, len(enc))] + "\r\n")
			}
		}
		h.WriteString("--outer--\r\n")
		out = append(out, []byte(h.String()))
	}
	return out
}

// BenchmarkStoreBatch measures the writer alone: parsed batches (cut by
// the default count and byte bounds) filed into a new store (threading, SQLite, FTS5, commit), and the
// parse+compress step the workers do beside it.
func BenchmarkStoreBatch(b *testing.B) {
	const n = 2000
	corpus := benchCorpus(n)
	ctx := context.Background()
	var writer, parse, writerCPU time.Duration
	defer lockWriterThread()() // threadCPU: the writer's own CPU
	for i := 0; i < b.N; i++ {
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "t.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		acc := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: user, Config: email.Config{Address: user}.JSON()}
		if err := st.CreateAccount(ctx, &acc); err != nil {
			b.Fatal(err)
		}
		s := New(st, &Options{Parsers: 1})
		f := email.Folder{Name: "INBOX", Role: email.RoleInbox}
		// Batches cut as plan cuts them: by count and by bytes.
		for k := 0; k < n; {
			var got []email.Fetched
			var size int64
			for ; k < n && len(got) < s.opts.BatchMessages && (len(got) == 0 || size+int64(len(corpus[k])) <= s.opts.BatchBytes); k++ {
				got = append(got, email.Fetched{Meta: email.Meta{UID: uint32(n - k), InternalDate: time.Now()}, Raw: corpus[k]})
				size += int64(len(corpus[k]))
			}
			t0 := time.Now()
			parsed := s.parseAll(got)
			parse += time.Since(t0)
			t0 = time.Now()
			c0 := threadCPU()
			rep := FolderReport{}
			if err := s.storeBatch(ctx, acc, email.Config{Address: user}, f, cursor{UIDValidity: 1}, got, parsed, nil, false, &rep); err != nil {
				b.Fatal(err)
			}
			writer += time.Since(t0)
			writerCPU += threadCPU() - c0
		}
		st.Close()
	}
	b.ReportMetric(float64(writer.Microseconds())/float64(b.N*n), "writer-µs/msg")
	b.ReportMetric(float64(parse.Microseconds())/float64(b.N*n), "parse-µs/msg")
	b.ReportMetric(float64(writerCPU.Microseconds())/float64(b.N*n), "writer-cpu-µs/msg")
}
