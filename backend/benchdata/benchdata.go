// Package benchdata fills a store with a large, realistic inbox for speed
// benchmarks of the window: many customers (contacts with an email or a
// Telegram identity), conversations of one to five messages in and out over
// three years, a mix of statuses, coloured labels and some HTML mail. It
// writes through the store's own methods (messages, index rows, counters),
// deterministically from a seed.
package benchdata

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Options say how big an inbox to make. A nil *Options means defaults.
type Options struct {
	// Conversations to create (default 100,000).
	Conversations int
	// Customers is how many contacts write in (default Conversations/5).
	Customers int
	// Seed makes the inbox reproducible (default 1).
	Seed int64
	// Now is the newest message's time (default time.Now()).
	Now time.Time
	// Progress is called after each batch with the conversations written.
	Progress func(done int)
}

// Result counts what was written.
type Result struct {
	Conversations int `json:"conversations"`
	Messages      int `json:"messages"`
	Contacts      int `json:"contacts"`
	Labelled      int `json:"labelled"`
}

var (
	firstNames = strings.Fields("Anna Bob Carla David Emma Farid Grace Hiro Isabel Jonas Karin Luis Maria Nora Omar Paula Quinn Rosa Sven Tara Umar Vera Wim Xenia Yusuf Zoë Chloé Björn Søren Ines Mei Aiko Lena Tomás Nadia")
	lastNames  = strings.Fields("Smith Müller García Rossi Dubois Tanaka Ivanov Berg Haddad Lee Brown Jones Novak Silva Costa Nagy Kowalski Jensen Murphy Kim Chen Okafor Mensah Duarte Weber Schmidt Laurent Moreau Romano Fischer")
	topics     = []string{"Where is my order", "Refund for order", "Wrong size delivered", "Invoice request", "Question about the warranty",
		"Change delivery address", "Bulk order quote", "Item arrived damaged", "Cancel my subscription", "Opening hours at Easter",
		"Gift card not working", "Repair booking", "Spare parts for model", "Discount code expired", "Payment failed twice"}
	sentences = []string{"Hello, I ordered last week and have not heard anything since.", "Could you please check what happened with it?",
		"The tracking page says it is still being prepared.", "I would like to return it and get my money back.",
		"Thanks a lot for the quick answer yesterday.", "Is there anything you need from me to sort this out?",
		"We are a small café and would like to order twenty of them.", "The box was open when it arrived and one part is missing.",
		"Please send the invoice to our accounts address.", "Best regards, and have a nice weekend.",
		"I tried the code again this morning and it still fails.", "Can I pick it up from the shop instead?"}
	replies = []string{"Thanks for writing! I checked your order and it leaves our warehouse today.", "Sorry about that, a replacement is on its way.",
		"Your refund has been issued and should arrive within five working days.", "Here is the invoice you asked for, attached as a PDF.",
		"Of course, we have changed the delivery address.", "Happy to help; the code works again now."}
	labels = []struct{ name, color string }{{"VIP", "#d97706"}, {"Refund", "#dc2626"}, {"Wholesale", "#2563eb"}, {"Bug", "#7c3aed"}, {"Shipping", "#059669"}, {"Follow-up", "#db2777"}}
)

// Generate writes the inbox into st: one email and one Telegram account
// (marked demo, so they never try to sync), the customers, conversations
// and messages, in batches of 500 conversations per transaction.
func Generate(ctx context.Context, st *store.Store, opts *Options) (Result, error) {
	o := Options{Conversations: 100000, Seed: 1, Now: time.Now()}
	if opts != nil {
		if opts.Conversations > 0 {
			o.Conversations = opts.Conversations
		}
		o.Customers = opts.Customers
		if opts.Seed != 0 {
			o.Seed = opts.Seed
		}
		if !opts.Now.IsZero() {
			o.Now = opts.Now
		}
		o.Progress = opts.Progress
	}
	if o.Customers <= 0 {
		o.Customers = max(1, o.Conversations/5)
	}
	r := rand.New(rand.NewSource(o.Seed))
	var res Result
	mail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: "hello@bluebird.example", Config: []byte(`{"demo":true}`)}
	tg := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot", Address: "@bluebird_bot", Config: []byte(`{"demo":true}`)}
	for _, a := range []*inbox.Account{&mail, &tg} {
		if err := st.CreateAccount(ctx, a); err != nil {
			return res, fmt.Errorf("benchdata: %w", err)
		}
	}
	// Customers: one in four on Telegram.
	type customer struct {
		contact string
		addr    inbox.Address
		tg      bool
	}
	customers := make([]customer, o.Customers)
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		for i := range customers {
			first, last := firstNames[r.Intn(len(firstNames))], lastNames[r.Intn(len(lastNames))]
			name := first + " " + last
			c := customer{tg: r.Intn(4) == 0}
			id := inbox.Identity{Channel: inbox.ChannelEmail, Address: fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), i), Display: name}
			if c.tg {
				id = inbox.Identity{Channel: inbox.ChannelTelegram, Address: fmt.Sprint(100000 + i), Display: first}
			}
			ct := inbox.Contact{Name: name, Identities: []inbox.Identity{id}}
			if err := st.CreateContactTx(ctx, tx, &ct); err != nil {
				return err
			}
			c.contact, c.addr = ct.ID, inbox.Address{Name: name, Address: id.Address}
			customers[i] = c
		}
		for _, l := range labels {
			if _, err := st.EnsureLabelTx(ctx, tx, l.name, l.color); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("benchdata: customers: %w", err)
	}
	res.Contacts = len(customers)

	span := 3 * 365 * 24 * time.Hour
	const batch = 500
	for lo := 0; lo < o.Conversations; lo += batch {
		hi := min(lo+batch, o.Conversations)
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			for i := lo; i < hi; i++ {
				cu := customers[r.Intn(len(customers))]
				acc, ch := mail, inbox.ChannelEmail
				if cu.tg {
					acc, ch = tg, inbox.ChannelTelegram
				}
				// Newer conversations are more common: bias towards now.
				age := time.Duration(float64(span) * r.Float64() * r.Float64())
				start := o.Now.Add(-age)
				subject := fmt.Sprintf("%s %d", topics[r.Intn(len(topics))], 10000+r.Intn(90000))
				if ch == inbox.ChannelTelegram {
					subject = ""
				}
				cv := inbox.Conversation{AccountID: acc.ID, ContactID: cu.contact, Channel: ch, Subject: subject, CreatedAt: start, Status: status(r)}
				if cv.Status == inbox.StatusSnoozed {
					cv.SnoozedUntil = o.Now.Add(time.Duration(1+r.Intn(72)) * time.Hour)
				}
				if err := st.CreateConversationTx(ctx, tx, &cv); err != nil {
					return err
				}
				n := 1 + r.Intn(5)
				at := start
				for k := 0; k < n; k++ {
					m := message(r, cv, acc, cu.addr, k, at, o.Now)
					if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
						return err
					}
					res.Messages++
					at = at.Add(time.Duration(10+r.Intn(600)) * time.Minute)
					if at.After(o.Now) {
						break
					}
				}
				if r.Intn(10) < 3 {
					if err := st.AddLabelTx(ctx, tx, cv.ID, labels[r.Intn(len(labels))].name); err != nil {
						return err
					}
					res.Labelled++
				}
				res.Conversations++
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("benchdata: conversations: %w", err)
		}
		if o.Progress != nil {
			o.Progress(hi)
		}
	}
	return res, nil
}

// status picks a conversation status: mostly closed or open.
func status(r *rand.Rand) inbox.Status {
	switch n := r.Intn(100); {
	case n < 40:
		return inbox.StatusOpen
	case n < 50:
		return inbox.StatusPending
	case n < 55:
		return inbox.StatusSnoozed
	}
	return inbox.StatusClosed
}

// message makes the k-th message of a conversation: the customer first,
// then alternating replies; about a third of the email has an HTML part.
func message(r *rand.Rand, cv inbox.Conversation, acc inbox.Account, cu inbox.Address, k int, at, now time.Time) inbox.Message {
	own := inbox.Address{Name: "Bluebird Bikes", Address: acc.Address}
	m := inbox.Message{ConversationID: cv.ID, AccountID: acc.ID, Channel: cv.Channel, Direction: inbox.In, Date: at, ReceivedAt: at,
		From: cu, To: []inbox.Address{own}, Subject: cv.Subject, Read: now.Sub(at) > 48*time.Hour || r.Intn(3) > 0}
	var b strings.Builder
	if k%2 == 1 {
		m.Direction, m.From, m.To = inbox.Out, own, []inbox.Address{cu}
		if cv.Subject != "" {
			m.Subject = "Re: " + cv.Subject
		}
		b.WriteString("Hi " + strings.Fields(cu.Name)[0] + ",\n\n" + replies[r.Intn(len(replies))] + "\n\nBluebird Bikes")
	} else {
		for s := 1 + r.Intn(5); s > 0; s-- {
			b.WriteString(sentences[r.Intn(len(sentences))])
			b.WriteByte(' ')
		}
		b.WriteString("\n\n" + cu.Name)
	}
	m.Text = b.String()
	if cv.Channel == inbox.ChannelEmail {
		m.MessageID = fmt.Sprintf("%s.%d@bench.example", cv.ID, k)
		if r.Intn(3) == 0 {
			m.HTML = "<div style=\"font-family:sans-serif\"><p>" + strings.ReplaceAll(htmlEscape(m.Text), "\n\n", "</p><p>") + "</p></div>"
		}
	}
	return m
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
