package search

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

var now = time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)

func day(n int) time.Time { return now.AddDate(0, 0, -n) }

// fixture is a small shop's inbox with one conversation per feature the
// query language has.
type fixture struct {
	st  *store.Store
	s   *Searcher
	ids map[string]string // short name -> conversation or message ID
}

type fxMsg struct {
	name    string
	out     bool
	at      time.Time
	from    inbox.Address
	to      []inbox.Address
	subject string
	text    string
	auto    bool
	read    bool
	files   []string
}

type fxConv struct {
	name    string
	account string
	channel inbox.Channel
	status  inbox.Status
	labels  []string
	note    string
	msgs    []fxMsg
}

var (
	shop  = inbox.Address{Name: "Bluebird Bikes", Address: "hello@bluebird.example"}
	anna  = inbox.Address{Name: "Anna Müller", Address: "anna@acme.example"}
	bob   = inbox.Address{Name: "Bob Builder", Address: "bob@builder.example"}
	zoe   = inbox.Address{Name: "Zoë Café", Address: "4711"}
	carla = inbox.Address{Name: "Carla Ruiz", Address: "carla@ruiz.example"}
)

var fxConvs = []fxConv{
	{name: "invoice", account: "shop", channel: inbox.ChannelEmail, status: inbox.StatusClosed, labels: []string{"Billing"}, msgs: []fxMsg{
		{name: "invoice1", at: day(10), from: anna, to: []inbox.Address{shop}, subject: "Invoice 1001", text: "Please find the invoice attached. Kind regards, Anna", files: []string{"invoice-1001.pdf"}, read: true},
		{name: "invoice2", out: true, at: day(9), from: shop, to: []inbox.Address{anna}, subject: "Re: Invoice 1001", text: "Thanks Anna, the invoice is paid."},
	}},
	{name: "cafe", account: "bot", channel: inbox.ChannelTelegram, msgs: []fxMsg{
		{name: "cafe1", at: day(1), from: zoe, to: []inbox.Address{shop}, text: "Is my café racer ready? The delivery is late again."},
	}},
	{name: "late", account: "shop", channel: inbox.ChannelEmail, status: inbox.StatusPending, note: "VIP customer, prefers a phone call", msgs: []fxMsg{
		{name: "late1", at: day(3), from: bob, to: []inbox.Address{shop}, subject: "Late delivery", text: "My order shows late delivery since Monday.", read: true},
		{name: "late2", out: true, at: day(3).Add(time.Hour), from: shop, to: []inbox.Address{bob}, subject: "Re: Late delivery", text: "Sorry Bob, the courier lost it; a new parcel left today."},
		{name: "late3", at: day(2), from: bob, to: []inbox.Address{shop}, subject: "Automatic reply: Re: Late delivery", text: "I am out of office until Monday.", auto: true},
	}},
	{name: "helmet", account: "shop", channel: inbox.ChannelEmail, labels: []string{"Parts"}, msgs: []fxMsg{
		{name: "helmet1", at: day(40), from: carla, to: []inbox.Address{shop}, subject: "Helmet sizes", text: "Which helmet size fits a 58 cm head? Delivery to Spain?", read: true},
		{name: "helmet2", out: true, at: day(39), from: shop, to: []inbox.Address{carla}, subject: "Re: Helmet sizes", text: "Size L fits 58 cm. We deliver to Spain in 3 days."},
	}},
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"), &store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, s: New(st, testOpts), ids: map[string]string{}}
	accounts := map[string]string{}
	for _, a := range []inbox.Account{{Name: "shop", Channel: inbox.ChannelEmail, Address: shop.Address}, {Name: "bot", Channel: inbox.ChannelTelegram}} {
		a := a
		if err := st.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
		accounts[a.Name] = a.ID
	}
	for _, fc := range fxConvs {
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			c := inbox.Conversation{AccountID: accounts[fc.account], Channel: fc.channel, Subject: fc.msgs[0].subject, Status: fc.status}
			if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			f.ids[fc.name] = c.ID
			for _, fm := range fc.msgs {
				m := inbox.Message{ConversationID: c.ID, AccountID: c.AccountID, Channel: fc.channel, Direction: inbox.In,
					Date: fm.at, ReceivedAt: fm.at, From: fm.from, To: fm.to, Subject: fm.subject, Text: fm.text, Auto: fm.auto, Read: fm.read}
				if fm.out {
					m.Direction = inbox.Out
				}
				for _, n := range fm.files {
					m.Attachments = append(m.Attachments, inbox.Attachment{Name: n, ContentType: "application/pdf", Data: []byte("%PDF")})
				}
				if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
					return err
				}
				f.ids[fm.name] = m.ID
			}
			for _, l := range fc.labels {
				if err := st.AddLabelTx(ctx, tx, c.ID, l); err != nil {
					return err
				}
			}
			if fc.note != "" {
				return st.AddNoteTx(ctx, tx, &inbox.Note{ConversationID: c.ID, Body: fc.note, CreatedAt: day(2).Add(2 * time.Hour)})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// names maps result conversation IDs back to fixture names.
func (f *fixture) names(hits []Hit) []string {
	rev := map[string]string{}
	for k, v := range f.ids {
		rev[v] = k
	}
	out := []string{}
	for _, h := range hits {
		out = append(out, rev[h.ConversationID])
	}
	return out
}

func (f *fixture) name(id string) string {
	for k, v := range f.ids {
		if v == id {
			return k
		}
	}
	return id
}
