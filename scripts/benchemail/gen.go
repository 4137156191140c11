package main

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"strings"
	"time"
)

// gen makes a deterministic corpus shaped like a small business's mailbox:
// customers writing and replying (threads by In-Reply-To/References), about
// a third with an HTML alternative, a fifth with a 20-200 KB attachment.
type gen struct {
	rng   *rand.Rand
	words []string
	ids   []string
}

func newGen(seed int64) *gen {
	g := &gen{rng: rand.New(rand.NewSource(seed))}
	syll := []string{"ka", "lo", "mi", "ren", "to", "sa", "vel", "di", "on", "por", "que", "bi", "ke", "an", "ter", "ul", "ma", "es", "ni", "co"}
	common := strings.Fields("the order bike wheel delivery invoice please thanks when can you send my we your and for with this that have from size frame price payment question repair brake chain tyre")
	g.words = append(g.words, common...)
	for len(g.words) < 3000 {
		w := ""
		for k := 0; k < 2+g.rng.Intn(3); k++ {
			w += syll[g.rng.Intn(len(syll))]
		}
		g.words = append(g.words, w)
	}
	return g
}

func (g *gen) text(bytes int) string {
	var b strings.Builder
	col := 0
	for b.Len() < bytes {
		w := g.words[int(g.rng.ExpFloat64()*300)%len(g.words)]
		b.WriteString(w)
		col += len(w) + 1
		if col > 70 {
			b.WriteString("\r\n")
			col = 0
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// message returns message number i (dates increase with i) and whether it
// carries an attachment.
func (g *gen) message(i int) ([]byte, bool) {
	cust := int(g.rng.ExpFloat64()*200) % 3000
	id := fmt.Sprintf("<m%d.%d@customer%d.example>", i, g.rng.Int63(), cust)
	var hdr strings.Builder
	date := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 17 * time.Minute)
	subject := fmt.Sprintf("Order %d: %s %s", 10000+g.rng.Intn(90000), g.words[g.rng.Intn(40)], g.words[g.rng.Intn(3000)])
	fmt.Fprintf(&hdr, "Return-Path: <c%d@customer%d.example>\r\nReceived: from mx.example by mail.shop.example; %s\r\n", cust, cust, date.Format(time.RFC1123Z))
	fmt.Fprintf(&hdr, "From: Customer %d <c%d@customer%d.example>\r\nTo: Shop <%s>\r\nDate: %s\r\nMessage-ID: %s\r\n", cust, cust, cust, user, date.Format(time.RFC1123Z), id)
	if len(g.ids) > 0 && g.rng.Intn(10) < 3 {
		parent := g.ids[g.rng.Intn(len(g.ids))]
		subject = "Re: " + subject
		fmt.Fprintf(&hdr, "In-Reply-To: %s\r\nReferences: %s\r\n", parent, parent)
	}
	g.ids = append(g.ids, id)
	fmt.Fprintf(&hdr, "Subject: %s\r\nMIME-Version: 1.0\r\n", subject)
	text := g.text(1500 + g.rng.Intn(6000))
	withHTML := g.rng.Intn(3) == 0
	withAtt := g.rng.Intn(5) == 0
	var body strings.Builder
	switch {
	case !withHTML && !withAtt:
		hdr.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n")
		body.WriteString(text)
	default:
		hdr.WriteString("Content-Type: multipart/mixed; boundary=\"outer\"\r\n")
		body.WriteString("--outer\r\n")
		if withHTML {
			body.WriteString("Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
			body.WriteString(text)
			body.WriteString("\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>")
			body.WriteString(strings.ReplaceAll(text, "\r\n", "</p>\r\n<p>"))
			body.WriteString("</p></body></html>\r\n--alt--\r\n")
		} else {
			body.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
			body.WriteString(text)
			body.WriteString("\r\n")
		}
		if withAtt {
			data := make([]byte, 20000+g.rng.Intn(180000))
			g.rng.Read(data)
			enc := base64.StdEncoding.EncodeToString(data)
			fmt.Fprintf(&body, "--outer\r\nContent-Type: application/pdf; name=\"invoice-%d.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice-%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, i)
			for k := 0; k < len(enc); k += 76 {
				body.WriteString(enc[k:min(k+76, len(enc))])
				body.WriteString("\r\n")
			}
		}
		body.WriteString("--outer--\r\n")
	}
	return []byte(hdr.String() + "\r\n" + body.String()), withAtt
}
