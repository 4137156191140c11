package emailconn

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/syncer"
)

// BenchmarkReceiveAndApply stores a Dovecot mailbox of 1,000 messages
// (2 KB each, every fifth a reply) into a fresh SQLite store through the
// connector and channels.Apply, and for comparison through the email
// syncer, reporting messages per second for each. It is a figure, not a
// test: run with -bench ReceiveAndApply -benchtime 1x.
func BenchmarkReceiveAndApply(b *testing.B) {
	const n = 1000
	srv := newBenchEnv(b)
	body := strings.Repeat("The blue teapot, again. ", 80)
	var msgs [][]byte
	for i := range n {
		hdr := fmt.Sprintf("From: Customer %d <c%d@example.com>\r\nTo: %s\r\nSubject: Order %d\r\nMessage-ID: <m%d@example.com>\r\nDate: Fri, 20 Nov 2026 09:%02d:00 +0000\r\n", i%50, i%50, owner, i/5, i, i%60)
		if i%5 != 0 {
			hdr += fmt.Sprintf("In-Reply-To: <m%d@example.com>\r\n", i-1)
		}
		msgs = append(msgs, []byte(hdr+"Content-Type: text/plain; charset=utf-8\r\n\r\n"+body+"\r\n"))
	}
	if err := srv.srv.Deliver(owner, "INBOX", msgs); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("connector", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			acct := srv.acct
			acct.ID = fmt.Sprintf("acc_bench_c%d", i)
			st := openTestStore(b, acct)
			c := srv.connector(password)
			c.opt.Account = acct
			stored := 0
			for {
				a, changed, err := channels.SyncRound(ctx, st, acct, c)
				if err != nil {
					b.Fatal(err)
				}
				stored += a.Stored
				if !changed {
					break
				}
			}
			c.Close()
			if stored != n {
				b.Fatalf("stored %d, want %d", stored, n)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msg/s")
	})
	b.Run("syncer", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			acct := srv.acct
			acct.ID = fmt.Sprintf("acc_bench_s%d", i)
			st := openTestStore(b, acct)
			sy := syncer.New(st, &syncer.Options{Auth: func(context.Context, inbox.Account, email.Config) (email.Auth, error) {
				return email.Auth{Password: password}, nil
			}})
			rep, err := sy.SyncAccount(ctx, acct)
			if err != nil || rep.New() != n {
				b.Fatalf("syncer: %d new, %v", rep.New(), err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msg/s")
	})
}
