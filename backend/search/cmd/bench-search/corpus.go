package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// corpus is a generated inbox: Zipf-distributed words, many customers, and
// threads of a few messages, spread over three years.
type corpus struct {
	vocab     []string
	customers []inbox.Address
	msgs      []gmsg
	convs     []gconv
	// df counts, per vocabulary index, the messages whose subject or body
	// contains the word.
	df []int
	// fromCount counts messages per customer index.
	fromCount []int
}

type gconv struct {
	id       string
	customer int
	subject  string
	channel  inbox.Channel
}

type gmsg struct {
	conv    int
	out     bool
	at      time.Time
	subject string
	body    string
	file    string
	msgID   string
	replyTo string
}

var syllables = strings.Fields("ka ri to ma ne lu sa po vi de ro an el is or un ta mi ko be la fu zo ge ni pa te so ru ha yo we qu ci ba do fe gi hu ju ke lo mu no pe ra se ti va xe yu za")

var firstNames = strings.Fields("Anna Bob Carla David Emma Farid Grace Hiro Isabel Jonas Karin Luis Maria Nora Omar Paula Quinn Rosa Sven Tara Umar Vera Wim Xenia Yusuf Zoë Chloé Björn Søren Ines")
var lastNames = strings.Fields("Smith Müller García Rossi Dubois Tanaka Ivanov Berg Haddad Lee Brown Jones Novak Silva Costa Nagy Kowalski Jensen Murphy Kim Chen Okafor Mensah Duarte Weber Schmidt Laurent Moreau Romano Fischer")

// generate makes n messages deterministically from seed.
func generate(n int, seed int64) *corpus {
	r := rand.New(rand.NewSource(seed))
	c := &corpus{}
	const vocabSize = 50000
	seen := map[string]bool{}
	for len(c.vocab) < vocabSize {
		k := 2 + r.Intn(3)
		var b strings.Builder
		for i := 0; i < k; i++ {
			b.WriteString(syllables[r.Intn(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			c.vocab = append(c.vocab, w)
		}
	}
	c.df = make([]int, vocabSize)
	nCustomers := n/50 + 10
	for i := 0; i < nCustomers; i++ {
		fn, ln := firstNames[r.Intn(len(firstNames))], lastNames[r.Intn(len(lastNames))]
		addr := fmt.Sprintf("%s.%s%d@%s.example", strings.ToLower(asciiOnly(fn)), strings.ToLower(asciiOnly(ln)), i, fmt.Sprintf("shop%d", r.Intn(500)))
		c.customers = append(c.customers, inbox.Address{Name: fn + " " + ln, Address: addr})
	}
	c.fromCount = make([]int, nCustomers)
	zw := rand.NewZipf(r, 1.07, 2, vocabSize-1)
	zc := rand.NewZipf(r, 1.1, 20, uint64(nCustomers-1))
	words := func(k int) []int {
		out := make([]int, k)
		for i := range out {
			out[i] = int(zw.Uint64())
		}
		return out
	}
	start := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)
	span := 3 * 365 * 24 * time.Hour
	for len(c.msgs) < n {
		cust := int(zc.Uint64())
		ch := inbox.ChannelEmail
		if r.Intn(5) == 0 {
			ch = inbox.ChannelTelegram
		}
		subjW := words(3 + r.Intn(5))
		subject := c.join(subjW)
		conv := gconv{id: inbox.DerivedID(inbox.PrefixConversation, fmt.Sprint(seed), fmt.Sprint(len(c.convs))), customer: cust, subject: subject, channel: ch}
		if ch == inbox.ChannelTelegram {
			conv.subject = ""
		}
		ci := len(c.convs)
		c.convs = append(c.convs, conv)
		length := 1 + int(r.ExpFloat64()*4)
		if length > 30 {
			length = 30
		}
		at := start.Add(time.Duration(r.Int63n(int64(span))))
		prev := ""
		for k := 0; k < length && len(c.msgs) < n; k++ {
			bodyW := words(20 + int(r.ExpFloat64()*60))
			m := gmsg{conv: ci, out: k%2 == 1, at: at, subject: conv.subject, body: c.join(bodyW),
				msgID: fmt.Sprintf("<%d.%d@bench.example>", ci, k), replyTo: prev}
			if k > 0 && m.subject != "" {
				m.subject = "Re: " + m.subject
			}
			if r.Intn(10) == 0 {
				m.file = c.vocab[r.Intn(2000)] + ".pdf"
			}
			uniq := map[int]bool{}
			for _, w := range append(subjW, bodyW...) {
				uniq[w] = true
			}
			for w := range uniq {
				c.df[w]++
			}
			if !m.out {
				c.fromCount[cust]++
			}
			prev = m.msgID
			c.msgs = append(c.msgs, m)
			at = at.Add(time.Duration(30+r.Intn(3*24*60)) * time.Minute)
		}
	}
	// Mail arrives roughly in date order, but 3% comes late (an old folder
	// synced afterwards), so row order and date order disagree a little.
	sort.SliceStable(c.msgs, func(i, j int) bool { return c.msgs[i].at.Before(c.msgs[j].at) })
	for i := range c.msgs {
		if r.Intn(33) == 0 {
			j := i + r.Intn(len(c.msgs)-i)
			c.msgs[i], c.msgs[j] = c.msgs[j], c.msgs[i]
		}
	}
	return c
}

func asciiOnly(s string) string {
	return strings.NewReplacer("ë", "e", "é", "e", "ö", "o", "ø", "o", "ü", "u", "í", "i", "á", "a").Replace(s)
}

func (c *corpus) join(ws []int) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			if i%12 == 0 {
				b.WriteString(".\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(c.vocab[w])
	}
	return b.String()
}

// shop is the business's own address.
var shop = inbox.Address{Name: "Bluebird Bikes", Address: "hello@bluebird.example"}

// load writes the corpus straight into a store in big transactions: one
// account, the customers as contacts, conversations, messages and their
// index rows.
func (c *corpus) load(ctx context.Context, st *store.Store, progress func(int)) error {
	acc := inbox.Account{Name: "shop", Channel: inbox.ChannelEmail, Address: shop.Address}
	if err := st.CreateAccount(ctx, &acc); err != nil {
		return err
	}
	db := st.DB()
	contactIDs := make([]string, len(c.customers))
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		for i, cu := range c.customers {
			ct := inbox.Contact{Name: cu.Name, Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: cu.Address, Display: cu.Name}}}
			if err := st.CreateContactTx(ctx, tx, &ct); err != nil {
				return err
			}
			contactIDs[i] = ct.ID
		}
		for _, cv := range c.convs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (id, account_id, contact_id, channel, subject, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', 0)`,
				cv.id, acc.ID, contactIDs[cv.customer], string(cv.channel), cv.subject); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	const batch = 20000
	for lo := 0; lo < len(c.msgs); lo += batch {
		hi := min(lo+batch, len(c.msgs))
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			insM, err := tx.PrepareContext(ctx, `INSERT INTO messages (id, conversation_id, account_id, channel, direction, sent_at, received_at,
				from_name, from_addr, to_json, subject, body_text, message_id, in_reply_to, is_read, has_attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer insM.Close()
			insF, err := tx.PrepareContext(ctx, `INSERT INTO message_fts (rowid, subject, body, people, files) VALUES (?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer insF.Close()
			insA, err := tx.PrepareContext(ctx, `INSERT INTO attachments (id, seq, name, content_type, size, fetched) VALUES (?, ?, ?, 'application/pdf', 1000, 0)`)
			if err != nil {
				return err
			}
			defer insA.Close()
			for i := lo; i < hi; i++ {
				m := &c.msgs[i]
				cv := c.convs[m.conv]
				from, to, dir := c.customers[cv.customer], shop, "in"
				if m.out {
					from, to, dir = shop, c.customers[cv.customer], "out"
				}
				toJSON, _ := json.Marshal([]inbox.Address{to})
				id := inbox.DerivedID(inbox.PrefixMessage, m.msgID)
				res, err := insM.ExecContext(ctx, id, cv.id, acc.ID, string(cv.channel), dir, m.at.UnixMilli(), m.at.UnixMilli(),
					from.Name, from.Address, string(toJSON), m.subject, m.body, m.msgID, m.replyTo, i%7 != 0 || m.out, m.file != "")
				if err != nil {
					return err
				}
				seq, _ := res.LastInsertId()
				if m.file != "" {
					if _, err := insA.ExecContext(ctx, inbox.DerivedID(inbox.PrefixAttachment, id), seq, m.file); err != nil {
						return err
					}
				}
				people := from.Name + " " + from.Address + " " + to.Name + " " + to.Address
				if _, err := insF.ExecContext(ctx, seq, m.subject, m.body, people, m.file); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(hi)
		}
	}
	_, err = db.ExecContext(ctx, `UPDATE conversations SET
		message_count = (SELECT count(*) FROM messages WHERE conversation_id = conversations.id),
		unread_count = (SELECT count(*) FROM messages WHERE conversation_id = conversations.id AND direction = 'in' AND is_read = 0),
		last_message_at = coalesce((SELECT max(sent_at) FROM messages WHERE conversation_id = conversations.id), 0),
		preview = coalesce((SELECT substr(body_text, 1, 200) FROM messages WHERE conversation_id = conversations.id ORDER BY sent_at DESC LIMIT 1), '')`)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
