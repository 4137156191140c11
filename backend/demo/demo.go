// Package demo fills a store with a believable small shop's inbox, entirely
// offline, so a new user sees Tidings work before connecting anything.
package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Shop is the demo business.
var Shop = inbox.Address{Name: "Bluebird Bikes", Address: "hello@bluebird-bikes.example"}

type customer struct {
	name     string
	email    string
	telegram string // Telegram user ID, if the customer writes there too
	tgName   string
}

var customers = []customer{
	{name: "Alice Smith", email: "alice.smith@example.com", telegram: "551023", tgName: "Alice S."},
	{name: "Bob Jones", email: "bob@jones-family.example"},
	{name: "Chloé Dubois", email: "chloe.dubois@example.fr", telegram: "771204", tgName: "Chloé"},
	{name: "Dmitri Ivanov", email: "d.ivanov@example.ru"},
	{name: "Emma Brown", email: "emma.brown@example.co.uk"},
	{name: "Farid Haddad", telegram: "330981", tgName: "Farid H."},
	{name: "Grace Lee", email: "grace@leecycling.example"},
	{name: "Hiro Tanaka", email: "hiro.tanaka@example.jp"},
	{name: "Isabel García", email: "isabel.garcia@example.es"},
	{name: "Jonas Berg", email: "jonas@berg.example"},
}

type line struct {
	out  bool
	ago  time.Duration // before now
	text string
	tg   bool // sent on Telegram rather than email
}

type thread struct {
	who     int
	subject string
	status  inbox.Status
	snooze  time.Duration
	labels  []string
	note    string
	attach  string // file name of an attachment on the first message
	lines   []line
	tg      bool
	read    bool
}

const h = time.Hour
const d = 24 * time.Hour

var threads = []thread{
	{who: 0, subject: "Order #1001 delayed?", labels: []string{"Shipping"}, note: "Courier confirmed the parcel is at the Leeds depot.", lines: []line{
		{ago: 3 * d, text: "Hi, I ordered the Commuter 3 helmet last week (order #1001) and the tracking hasn't moved since Monday. Any news on my parcel?"},
		{out: true, ago: 3*d - 2*h, text: "Hi Alice, sorry about that! I've asked the courier and will get back to you today."},
		{ago: 2 * h, text: "Thanks, any update? I need it for Saturday."},
	}},
	{who: 0, tg: true, subject: "", lines: []line{
		{ago: 5 * h, tg: true, text: "Hi! It's Alice (order #1001). Is it OK if I pick the helmet up from the shop instead?"},
		{out: true, ago: 4 * h, tg: true, text: "Of course, Alice. It'll be at the counter from Thursday, 9am."},
	}, status: inbox.StatusPending},
	{who: 1, subject: "Brake pads for a 2019 Trek FX", read: true, status: inbox.StatusClosed, labels: []string{"Parts"}, lines: []line{
		{ago: 9 * d, text: "Do you stock brake pads that fit a 2019 Trek FX 2 (hydraulic discs)?"},
		{out: true, ago: 9*d - 3*h, text: "Hi Bob, yes: Shimano B01S resin pads, £14.99 a pair. Want me to put a set aside?"},
		{ago: 8 * d, text: "Yes please, I'll come by Friday."},
		{out: true, ago: 8*d - h, text: "Done, they're under your name."},
	}},
	{who: 1, subject: "Warranty claim: cracked rim", labels: []string{"Warranty"}, attach: "rim-photo.jpg", note: "Check with the wholesaler: rim batch 2024-07 had other returns.", lines: []line{
		{ago: 26 * h, text: "Hello, the rear rim on the wheel I bought in March has cracked near the valve hole. Photo attached. Is this covered by the warranty?"},
	}},
	{who: 2, subject: "Question", labels: []string{"Rentals"}, lines: []line{
		{ago: 30 * h, text: "Bonjour! Do you rent e-bikes for a weekend? We are two adults visiting in May."},
		{out: true, ago: 29 * h, text: "Bonjour Chloé! Yes, £45/day each including helmets and locks. Which dates?"},
		{ago: 6 * h, text: "The 16th to the 18th of May, please."},
	}},
	{who: 2, tg: true, lines: []line{
		{ago: 50 * time.Minute, tg: true, text: "Salut, c'est Chloé. Can I pay the rental deposit by card on arrival?"},
	}},
	{who: 3, subject: "Заказ велосипеда / bike order", lines: []line{
		{ago: 4 * d, text: "Здравствуйте! Can you ship the Gravel 500 frame in size L to Tallinn? Сколько стоит доставка?"},
		{out: true, ago: 4*d - 5*h, text: "Hello Dmitri, yes we ship to Estonia: £38 by DPD, 4–6 working days."},
		{ago: 3 * d, text: "Great, please send me a payment link."},
	}, status: inbox.StatusPending, labels: []string{"Shipping"}},
	{who: 4, subject: "Service booking for next week", status: inbox.StatusSnoozed, snooze: 2 * d, note: "Emma prefers mornings.", lines: []line{
		{ago: 2 * d, text: "Hi, could I book a full service for my Brompton next week? Any morning works."},
		{out: true, ago: 2*d - h, text: "Hi Emma, Tuesday 9:30 is free. Shall I book it?"},
		{ago: 40 * h, text: "Tuesday is perfect, thank you!"},
	}},
	{who: 4, subject: "Re: Service booking: invoice please", read: true, status: inbox.StatusClosed, lines: []line{
		{ago: 20 * d, text: "Could you send me an invoice for the last service? My employer reimburses it."},
		{out: true, ago: 20*d - 2*h, text: "Attached, Emma. Have a good ride!"},
	}},
	{who: 5, tg: true, labels: []string{"Rentals"}, lines: []line{
		{ago: 7 * h, tg: true, text: "Hello, do you have child seats for rental bikes?"},
		{out: true, ago: 6 * h, tg: true, text: "Hi Farid, yes, two Thule seats. £8/day."},
		{ago: 3 * h, tg: true, text: "Great, I'll reserve one for Sunday."},
	}},
	{who: 6, subject: "Wholesale enquiry: 20 city bikes", labels: []string{"Sales"}, note: "Potential B2B account. Offer 12% discount, max 15%.", lines: []line{
		{ago: 5 * d, text: "Hello, I run a small cycling café and would like a quote for 20 city bikes for guests."},
		{out: true, ago: 5*d - 4*h, text: "Hi Grace, thanks for thinking of us! For 20 units of the Urban 3 we can do £410 each. Shall I send a formal quote?"},
		{ago: 4 * d, text: "Yes please, and could you include delivery?"},
		{out: true, ago: 4*d - 2*h, text: "Formal quote attached, delivery included."},
		{ago: 10 * h, text: "Thanks. Could you go a little lower on price? We'd also sign a service contract."},
	}},
	{who: 7, subject: "サイズについて (about sizing)", lines: []line{
		{ago: 13 * h, text: "こんにちは。I'm 168 cm tall. Which frame size of the Road 700 should I choose? よろしくお願いします。"},
	}},
	{who: 8, subject: "Missing bell on delivery", labels: []string{"Shipping"}, read: true, status: inbox.StatusClosed, lines: []line{
		{ago: 12 * d, text: "Hola, my new bike arrived without the bell shown on the website."},
		{out: true, ago: 12*d - h, text: "Sorry Isabel! A bell is on its way, free of charge."},
		{ago: 10 * d, text: "Received, thank you!"},
	}},
	{who: 9, subject: "Tubeless conversion price", lines: []line{
		{ago: 8 * h, text: "What would you charge to convert my wheels to tubeless? They're DT Swiss rims."},
	}},
	{who: 9, subject: "Lost receipt", read: true, status: inbox.StatusClosed, lines: []line{
		{ago: 30 * d, text: "I lost the receipt for the lights I bought in October, can you resend it?"},
		{out: true, ago: 30*d - h, text: "Sure Jonas, resent to this address."},
	}},
	{who: 3, subject: "Pedal recommendation", read: true, status: inbox.StatusClosed, lines: []line{
		{ago: 15 * d, text: "Which clipless pedals do you recommend for touring?"},
		{out: true, ago: 15*d - 6*h, text: "Shimano PD-M8100 or the PD-T8000 if you want a flat side for city shoes."},
	}},
	{who: 6, subject: "Café opening event", status: inbox.StatusPending, lines: []line{
		{out: true, ago: 2 * d, text: "Hi Grace, would you like us to bring a few demo bikes to your café's opening on the 12th?"},
	}},
	{who: 1, subject: "Thank you!", read: true, status: inbox.StatusClosed, lines: []line{
		{ago: 6 * d, text: "Just wanted to say the new brake pads are great. Thanks for the quick help."},
		{out: true, ago: 6*d - h, text: "Glad to hear it, Bob!"},
	}},
	{who: 7, subject: "Road 700 in stock?", read: true, status: inbox.StatusClosed, lines: []line{
		{ago: 21 * d, text: "Is the Road 700 in stock in size S?"},
		{out: true, ago: 21*d - 3*h, text: "Hi Hiro, yes, one left in size S."},
	}},
	{who: 8, subject: "Gift voucher", lines: []line{
		{ago: 90 * time.Minute, text: "Do you sell gift vouchers? I'd like one for £50 for my brother's birthday."},
	}},
	{who: 0, subject: "Saddle swap", read: true, status: inbox.StatusClosed, labels: []string{"Parts"}, lines: []line{
		{ago: 40 * d, text: "Could I swap the saddle on my bike for a wider one?"},
		{out: true, ago: 40*d - 2*h, text: "Sure, bring it in any time; the Brooks B17 is £95 fitted."},
	}},
	{who: 5, tg: true, status: inbox.StatusClosed, read: true, lines: []line{
		{ago: 18 * d, tg: true, text: "Are you open on bank holidays?"},
		{out: true, ago: 18*d - h, tg: true, text: "Yes, 10am to 4pm."},
	}},
}

var labelColors = map[string]string{
	"Shipping": "#2f80ed", "Parts": "#9b51e0", "Warranty": "#eb5757", "Rentals": "#27ae60", "Sales": "#f2994a",
}

// Accounts are the demo's channel accounts. They are marked as demo in their
// config, so sync leaves them alone.
var demoAccounts = []inbox.Account{
	{Channel: inbox.ChannelEmail, Name: "Shop mail (demo)", Address: Shop.Address, Config: []byte(`{"demo":true}`)},
	{Channel: inbox.ChannelTelegram, Name: "Telegram (demo)", Address: "@bluebird_bikes_bot", Config: []byte(`{"demo":true}`)},
}

// Result says what Seed created.
type Result struct {
	Conversations int `json:"conversations"`
	Messages      int `json:"messages"`
	Contacts      int `json:"contacts"`
}

// Seed creates the demo workspace in st. Seeding twice is refused, so a
// user's real data is never mixed with a second copy.
func Seed(ctx context.Context, st *store.Store, now time.Time) (Result, error) {
	var res Result
	if _, err := st.AccountByName(ctx, demoAccounts[0].Name); err == nil {
		return res, fmt.Errorf("demo: this data directory already holds the demo inbox: %w", inbox.ErrConflict)
	}
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		accs := make([]inbox.Account, len(demoAccounts))
		for i, a := range demoAccounts {
			a.ID = inbox.NewID(inbox.PrefixAccount)
			a.CreatedAt = now.Add(-60 * d)
			a.LastSyncAt = now
			if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, channel, name, address, config, created_at, last_sync_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, '')`,
				a.ID, string(a.Channel), a.Name, a.Address, string(a.Config), a.CreatedAt.UnixMilli(), now.UnixMilli()); err != nil {
				return fmt.Errorf("demo: account: %w", err)
			}
			accs[i] = a
		}
		contactIDs := make([]string, len(customers))
		for i, c := range customers {
			ct := inbox.Contact{Name: c.name, CreatedAt: now.Add(-60 * d)}
			if c.email != "" {
				ct.Identities = append(ct.Identities, inbox.Identity{Channel: inbox.ChannelEmail, Address: c.email, Display: c.name})
			}
			if c.telegram != "" {
				ct.Identities = append(ct.Identities, inbox.Identity{Channel: inbox.ChannelTelegram, Address: c.telegram, Display: c.tgName})
			}
			if err := st.CreateContactTx(ctx, tx, &ct); err != nil {
				return err
			}
			contactIDs[i] = ct.ID
			res.Contacts++
		}
		for ti, t := range threads {
			if err := seedThread(ctx, st, tx, now, ti, t, accs, contactIDs[t.who], &res); err != nil {
				return err
			}
		}
		// Labels and notes were added "now"; date their timeline events with
		// the conversation's first message so the demo reads naturally.
		if _, err := tx.ExecContext(ctx, `UPDATE events SET at = (SELECT c.created_at FROM conversations c WHERE c.id = events.conversation_id)`); err != nil {
			return err
		}
		for name, color := range labelColors {
			if _, err := tx.ExecContext(ctx, `UPDATE labels SET color = ? WHERE name = ?`, color, name); err != nil {
				return err
			}
		}
		for _, q := range []inbox.SavedSearch{{Name: "Rentals waiting", Query: "label:Rentals status:open"}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO saved_searches (id, name, query, created_at) VALUES (?, ?, ?, ?)`,
				inbox.NewID(inbox.PrefixSearch), q.Name, q.Query, now.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

func seedThread(ctx context.Context, st *store.Store, tx *sql.Tx, now time.Time, ti int, t thread, accs []inbox.Account, contactID string, res *Result) error {
	c := customers[t.who]
	ch, acc := inbox.ChannelEmail, accs[0]
	if t.tg {
		ch, acc = inbox.ChannelTelegram, accs[1]
	}
	conv := inbox.Conversation{AccountID: acc.ID, ContactID: contactID, Channel: ch, Subject: t.subject, Status: inbox.StatusOpen,
		CreatedAt: now.Add(-t.lines[0].ago)}
	if t.status != "" {
		conv.Status = t.status
	}
	if t.status == inbox.StatusSnoozed {
		conv.SnoozedUntil = now.Add(t.snooze)
	}
	if err := st.CreateConversationTx(ctx, tx, &conv); err != nil {
		return err
	}
	var prevID string
	var refs []string
	for li, l := range t.lines {
		at := now.Add(-l.ago).Truncate(time.Second)
		m := inbox.Message{
			ConversationID: conv.ID, AccountID: acc.ID, Channel: ch, Date: at, ReceivedAt: at,
			Subject: t.subject, Text: l.text, Read: t.read || l.out, ThreadReason: inbox.ReasonNew,
		}
		if li > 0 {
			m.ThreadReason = inbox.ReasonReferences
			if ch != inbox.ChannelEmail {
				m.ThreadReason = inbox.ReasonChat
			}
		}
		cust := inbox.Address{Name: c.name, Address: c.email}
		shop := Shop
		if ch == inbox.ChannelTelegram {
			cust = inbox.Address{Name: c.tgName, Address: c.telegram}
			shop = inbox.Address{Name: Shop.Name, Address: accs[1].Address}
		}
		if l.out {
			m.Direction, m.From, m.To = inbox.Out, shop, []inbox.Address{cust}
		} else {
			m.Direction, m.From, m.To = inbox.In, cust, []inbox.Address{shop}
		}
		if ch == inbox.ChannelEmail {
			m.MessageID = fmt.Sprintf("<demo-%d-%d@bluebird-bikes.example>", ti, li)
			if li > 0 {
				m.Subject = "Re: " + strings.TrimPrefix(t.subject, "Re: ")
				m.InReplyTo = prevID
				m.References = append([]string(nil), refs...)
			}
		} else {
			m.MessageID = fmt.Sprintf("%d", 1000+ti*10+li)
		}
		if li == 0 && t.attach != "" {
			m.Attachments = []inbox.Attachment{{Name: t.attach, ContentType: "image/jpeg", Data: demoJPEG(), Fetched: true}}
		}
		if ch == inbox.ChannelEmail {
			m.Raw = rawEmail(m)
		}
		sum := sha256.Sum256([]byte(m.From.Address + "\x00" + m.Subject + "\x00" + m.Text))
		m.ContentHash = hex.EncodeToString(sum[:])
		if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
			return err
		}
		res.Messages++
		prevID = m.MessageID
		refs = append(refs, m.MessageID)
	}
	for _, l := range t.labels {
		if err := st.AddLabelTx(ctx, tx, conv.ID, l); err != nil {
			return err
		}
	}
	if t.note != "" {
		n := inbox.Note{ConversationID: conv.ID, Body: t.note, CreatedAt: now.Add(-t.lines[len(t.lines)-1].ago / 2)}
		if err := st.AddNoteTx(ctx, tx, &n); err != nil {
			return err
		}
	}
	res.Conversations++
	return nil
}

// rawEmail writes the RFC 5322 form of a demo email message, so exports and
// "view original" behave as with synced mail.
func rawEmail(m inbox.Message) []byte {
	var b strings.Builder
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	enc := func(s string) string { return mime.QEncoding.Encode("utf-8", s) }
	addr := func(a inbox.Address) string {
		if a.Name == "" {
			return "<" + a.Address + ">"
		}
		return enc(a.Name) + " <" + a.Address + ">"
	}
	hdr("From", addr(m.From))
	hdr("To", addr(m.To[0]))
	hdr("Subject", enc(m.Subject))
	hdr("Date", m.Date.Format(time.RFC1123Z))
	hdr("Message-ID", m.MessageID)
	if m.InReplyTo != "" {
		hdr("In-Reply-To", m.InReplyTo)
		hdr("References", strings.Join(m.References, " "))
	}
	hdr("MIME-Version", "1.0")
	body := strings.ReplaceAll(m.Text, "\n", "\r\n") + "\r\n"
	if len(m.Attachments) == 0 {
		hdr("Content-Type", "text/plain; charset=utf-8")
		hdr("Content-Transfer-Encoding", "8bit")
		b.WriteString("\r\n" + body)
		return []byte(b.String())
	}
	const boundary = "demo-boundary-7f3a"
	hdr("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
	for _, a := range m.Attachments {
		b.WriteString("--" + boundary + "\r\nContent-Type: " + a.ContentType + "\r\nContent-Disposition: attachment; filename=\"" + a.Name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		b.WriteString(wrap76(a.Data))
	}
	b.WriteString("--" + boundary + "--\r\n")
	return []byte(b.String())
}
