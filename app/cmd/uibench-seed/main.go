// Command uibench-seed fills a data directory with N believable
// conversations (default 100,000) for the window's benchmark
// (scripts/bench-ui.sh): 2,000 customers, one to three messages each,
// spread over two years, mostly closed, some labelled.
//
//	go run ./app/cmd/uibench-seed -n 100000 DIR
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

var (
	firsts   = strings.Fields("Alice Bob Chloé Dmitri Emma Farid Grace Hiro Isabel Jonas Kemal Lena Mateo Nora Omar Priya Quinn Rosa Sven Tara Umar Vera Wei Xena Yusuf Zoe")
	lasts    = strings.Fields("Smith Jones Dubois Ivanov Brown Haddad Lee Tanaka García Berg Yilmaz Novak Rossi Silva Khan Patel Murphy Weber Costa Nguyen")
	topics   = []string{"Order #%d delayed", "Question about invoice %d", "Warranty claim %d", "Rental booking %d", "Service appointment %d", "Gift voucher %d", "Wrong size in order %d", "Return request %d"}
	lines    = []string{"Hi, any news on this?", "Thanks a lot, that helps.", "Could you send me the invoice again?", "Is it still in stock?", "When can I pick it up?", "The tracking has not moved since Monday.", "Can I pay by card on arrival?", "Perfect, see you Saturday."}
	answers  = []string{"Sorry about that, I am checking with the courier.", "Yes, it is in stock.", "Here is the invoice again.", "You can pick it up any time after 10am.", "We will fix it under warranty."}
	labelSet = []string{"Shipping", "Parts", "Warranty", "Rentals", "Sales"}
)

func main() {
	n := flag.Int("n", 100000, "conversations to create")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: uibench-seed [-n N] DIR")
		os.Exit(2)
	}
	start := time.Now()
	if err := seed(context.Background(), flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, "uibench-seed:", err)
		os.Exit(1)
	}
	fmt.Printf("uibench-seed: %d conversations in %s (%.1f s)\n", *n, flag.Arg(0), time.Since(start).Seconds())
}

func seed(ctx context.Context, dir string, n int) error {
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer ws.Close()
	st := ws.Store
	rng := rand.New(rand.NewSource(1))
	now := time.Now().UTC().Truncate(time.Second)
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail (bench)", Address: "hello@shop.example", Config: []byte(`{"demo":true}`)}
	if err := st.CreateAccount(ctx, &acct); err != nil {
		return err
	}
	contacts := make([]string, 2000)
	const batch = 1000
	for done := 0; done < n; done += batch {
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			for i := done; i < min(n, done+batch); i++ {
				ci := rng.Intn(len(contacts))
				name := firsts[ci%len(firsts)] + " " + lasts[(ci/len(firsts))%len(lasts)]
				addr := fmt.Sprintf("customer%d@mail.example", ci)
				if contacts[ci] == "" {
					id, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, addr, name)
					if err != nil {
						return err
					}
					contacts[ci] = id
				}
				at := now.Add(-time.Duration(rng.Int63n(int64(730 * 24 * time.Hour))))
				status := inbox.StatusClosed
				switch r := rng.Intn(100); {
				case r < 20:
					status = inbox.StatusOpen
				case r < 25:
					status = inbox.StatusPending
				}
				subject := fmt.Sprintf(topics[rng.Intn(len(topics))], 1000+i)
				c := inbox.Conversation{AccountID: acct.ID, ContactID: contacts[ci], Channel: inbox.ChannelEmail, Subject: subject, Status: status, CreatedAt: at}
				if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
					return err
				}
				for k, msgs := 0, 1+rng.Intn(3); k < msgs; k++ {
					m := inbox.Message{ConversationID: c.ID, AccountID: acct.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
						Date: at.Add(time.Duration(k) * time.Hour), From: inbox.Address{Name: name, Address: addr},
						To: []inbox.Address{{Address: acct.Address}}, Subject: subject, Text: lines[rng.Intn(len(lines))],
						Read: status == inbox.StatusClosed, MessageID: fmt.Sprintf("<b%d.%d@mail.example>", i, k)}
					if k%2 == 1 {
						m.Direction, m.From, m.To, m.Text = inbox.Out, inbox.Address{Address: acct.Address}, []inbox.Address{{Name: name, Address: addr}}, answers[rng.Intn(len(answers))]
					}
					if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
						return err
					}
				}
				if rng.Intn(10) == 0 {
					if err := st.AddLabelTx(ctx, tx, c.ID, labelSet[rng.Intn(len(labelSet))]); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
