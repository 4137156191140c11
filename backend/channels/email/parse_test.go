package email

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

func enc(t *testing.T, e encoding.Encoding, s string) string {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return string(b)
}

func TestParseCharsets(t *testing.T) {
	cases := []struct {
		name, raw   string
		wantSubject string
		wantText    string
		wantGuessed bool
	}{
		{
			name: "iso-2022-jp body and encoded-word subject",
			raw: "From: =?ISO-2022-JP?B?" + b64(enc(t, japanese.ISO2022JP, "山田太郎")) + "?= <taro@example.jp>\r\n" +
				"Subject: =?ISO-2022-JP?B?" + b64(enc(t, japanese.ISO2022JP, "ご注文について")) + "?=\r\n" +
				"Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
				enc(t, japanese.ISO2022JP, "こんにちは、注文番号123です。") + "\r\n",
			wantSubject: "ご注文について", wantText: "こんにちは、注文番号123です。",
		},
		{
			name: "shift_jis 8bit",
			raw: "From: a@example.jp\nSubject: sjis\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n" +
				enc(t, japanese.ShiftJIS, "日本語のテキスト") + "\n",
			wantSubject: "sjis", wantText: "日本語のテキスト",
		},
		{
			name: "cp932 label with NEC special characters",
			raw: "From: a@example.jp\nSubject: =?cp932?B?" + b64(enc(t, japanese.ShiftJIS, "①番")) + "?=\nContent-Type: text/plain; charset=\"cp932\"\n\n" +
				enc(t, japanese.ShiftJIS, "①②③ と ㈱") + "\n",
			wantSubject: "①番", wantText: "①②③ と ㈱",
		},
		{
			name: "windows-31j label",
			raw: "From: a@example.jp\nSubject: x\nContent-Type: text/plain; charset=Windows-31J\n\n" +
				enc(t, japanese.ShiftJIS, "髙橋") + "\n",
			wantSubject: "x", wantText: "髙橋",
		},
		{
			name: "iso-8859-1 quoted-printable",
			raw: "From: a@example.de\nSubject: =?iso-8859-1?Q?Gr=FC=DFe?=\nContent-Type: text/plain; charset=iso-8859-1\n" +
				"Content-Transfer-Encoding: quoted-printable\n\nSch=F6ne Gr=FC=DFe, =\nund tsch=FC=DF\n",
			wantSubject: "Grüße", wantText: "Schöne Grüße, und tschüß",
		},
		{
			name: "unknown charset label, latin-1 bytes",
			raw: "From: a@example.com\nSubject: =?x-made-up?Q?caf=E9?=\nContent-Type: text/plain; charset=x-made-up\n\n" +
				enc(t, charmap.ISO8859_1, "déjà vu") + "\n",
			wantSubject: "café", wantText: "déjà vu", wantGuessed: true,
		},
		{
			name:        "labelled utf-8 but latin-1",
			raw:         "From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\n" + enc(t, charmap.ISO8859_1, "naïve") + "\n",
			wantSubject: "s", wantText: "naïve", wantGuessed: true,
		},
		{
			name:        "raw utf-8 header (RFC 6532)",
			raw:         "From: Zoë <zoe@example.com>\nSubject: Bestellung für Zoë\nContent-Type: text/plain; charset=utf-8\n\nHallo\n",
			wantSubject: "Bestellung für Zoë", wantText: "Hallo",
		},
		{
			name:        "no content type at all",
			raw:         "From: a@example.com\nSubject: plain\n\nJust text.\n",
			wantSubject: "plain", wantText: "Just text.",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Parse([]byte(tc.raw))
			m := p.Message
			if m.ParseError != "" {
				t.Fatalf("ParseError = %q", m.ParseError)
			}
			if m.Subject != tc.wantSubject {
				t.Errorf("subject: got %q, want %q", m.Subject, tc.wantSubject)
			}
			if strings.TrimSpace(m.Text) != tc.wantText {
				t.Errorf("text: got %q, want %q", m.Text, tc.wantText)
			}
			if p.CharsetGuessed != tc.wantGuessed {
				t.Errorf("CharsetGuessed: got %v, want %v (warnings %q)", p.CharsetGuessed, tc.wantGuessed, p.Warnings)
			}
		})
	}
}

func b64(s string) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var out strings.Builder
	b := []byte(s)
	for i := 0; i < len(b); i += 3 {
		var n uint32
		k := 0
		for j := 0; j < 3; j++ {
			n <<= 8
			if i+j < len(b) {
				n |= uint32(b[i+j])
				k++
			}
		}
		for j := 0; j < 4; j++ {
			if j <= k {
				out.WriteByte(a[(n>>(18-6*j))&63])
			} else {
				out.WriteByte('=')
			}
		}
	}
	return out.String()
}

const structured = "From: \"Ann Customer\" <Ann@Example.com>\r\n" +
	"To: shop@bikes.example, \"Bob\" <bob@bikes.example>\r\n" +
	"Cc: <carol@example.org>\r\n" +
	"Date: Tue, 3 Mar 2026 10:15:00 +0100 (CET)\r\n" +
	"Subject: Re: Order 1234\r\n" +
	"Message-ID: <reply-2@example.com>\r\n" +
	"In-Reply-To: <orig-1@bikes.example>\r\n" +
	"References: <root-0@bikes.example>\r\n <orig-1@bikes.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n" +
	"preamble\r\n--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n" +
	"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain body\r\n" +
	"--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML <b>body</b></p>\r\n" +
	"--inner--\r\n" +
	"--outer\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n" +
	"--outer\r\nContent-Type: image/png; name=\"logo.png\"\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n" +
	"--outer--\r\nepilogue\r\n"

func TestParseStructure(t *testing.T) {
	p := Parse([]byte(structured))
	m := p.Message
	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", what, got, want)
		}
	}
	check("from", m.From, "Ann Customer <Ann@Example.com>")
	check("to", m.To, "[shop@bikes.example Bob <bob@bikes.example>]")
	check("cc", m.Cc, "[carol@example.org]")
	check("date", m.Date.Format(time.RFC3339), "2026-03-03T09:15:00Z")
	check("message-id", m.MessageID, "<reply-2@example.com>")
	check("in-reply-to", m.InReplyTo, "<orig-1@bikes.example>")
	check("references", m.References, "[<root-0@bikes.example> <orig-1@bikes.example>]")
	check("text", m.Text, "Plain body")
	check("html", m.HTML, "<p>HTML <b>body</b></p>")
	check("auto", m.Auto, false)
	if len(m.Attachments) != 2 {
		t.Fatalf("attachments: got %d, want 2", len(m.Attachments))
	}
	a := m.Attachments[0]
	check("attachment name", a.Name, "Rechnung März.pdf")
	check("attachment data", string(a.Data), "%PDF-1.4\n")
	check("attachment inline", a.Inline, false)
	b := m.Attachments[1]
	check("inline name", b.Name, "logo.png")
	check("inline cid", b.ContentID, "logo@x")
	check("inline", b.Inline, true)
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: got %q, want none", p.Warnings)
	}
}

func TestParseHTMLOnlyGetsText(t *testing.T) {
	m := Parse([]byte("From: a@b.c\nContent-Type: text/html\n\n<html><head><style>p{}</style></head><body><p>Hello&nbsp;there</p><script>x()</script><p>Line two</p></body></html>")).Message
	if m.Text != "Hello there\n\nLine two" {
		t.Errorf("text from html: got %q", m.Text)
	}
}

func TestParseAuto(t *testing.T) {
	cases := []struct {
		name, hdr string
		want      bool
	}{
		{"plain customer mail", "From: ann@example.com\nSubject: Question", false},
		{"auto-submitted", "From: ann@example.com\nAuto-Submitted: auto-replied\nSubject: Re: Question", true},
		{"auto-submitted no", "From: ann@example.com\nAuto-Submitted: no\nSubject: Question", false},
		{"out of office subject", "From: ann@example.com\nSubject: Out of Office: back Monday", true},
		{"exchange automatic reply", "From: ann@example.com\nSubject: Automatic reply: Order", true},
		{"list-id", "From: news@example.com\nList-Id: <news.example.com>\nSubject: Weekly", true},
		{"precedence bulk", "From: news@example.com\nPrecedence: bulk\nSubject: Weekly", true},
		{"mailer-daemon", "From: MAILER-DAEMON@example.com\nSubject: failure", true},
		{"null return path", "Return-Path: <>\nFrom: x@example.com\nSubject: hi", true},
		{"dsn report", "From: x@example.com\nSubject: hi\nContent-Type: multipart/report; report-type=delivery-status; boundary=b", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Parse([]byte(tc.hdr + "\n\nbody\n")).Message.Auto
			if got != tc.want {
				t.Errorf("auto: got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseUnreadable(t *testing.T) {
	for name, raw := range map[string][]byte{
		"empty":   {},
		"binary":  {0x89, 'P', 'N', 'G', 0, 1, 2, 3, '\n', 0xff, 0xfe},
		"no head": []byte("just some words\nand more\n"),
	} {
		t.Run(name, func(t *testing.T) {
			m := Parse(raw).Message
			if m.ParseError == "" {
				t.Fatalf("ParseError empty, want set")
			}
			if !bytes.Equal(m.Raw, raw) {
				t.Errorf("raw not kept: got %q, want %q", m.Raw, raw)
			}
			if m.ContentHash == "" {
				t.Errorf("content hash empty")
			}
		})
	}
}

// TestParseHostile checks the caps: each message must come back with a
// warning rather than taking unbounded time or memory.
func TestParseHostile(t *testing.T) {
	deep := &strings.Builder{}
	deep.WriteString("From: a@b.c\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(deep, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i+1)
	}
	deep.WriteString("--b3000\nContent-Type: text/plain\n\nbottom\n")
	wide := &strings.Builder{}
	wide.WriteString("From: a@b.c\nSubject: wide\nContent-Type: multipart/mixed; boundary=w\n\n")
	for i := 0; i < 5000; i++ {
		wide.WriteString("--w\nContent-Type: application/octet-stream\n\nx\n")
	}
	wide.WriteString("--w--\n")
	bigHeader := "From: a@b.c\nSubject: big\nX-Junk: " + strings.Repeat("a", 600<<10) + "\n\nbody\n"
	cases := []struct {
		name, raw, warning string
	}{
		{"nesting", deep.String(), "nesting deeper"},
		{"parts", wide.String(), "more than 500 MIME parts"},
		{"header", bigHeader, "header larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Parse([]byte(tc.raw))
			if !strings.Contains(strings.Join(p.Warnings, "|"), tc.warning) {
				t.Errorf("warnings: got %q, want one containing %q", p.Warnings, tc.warning)
			}
			if len(p.Message.Attachments) > maxParts {
				t.Errorf("attachments: got %d, want at most %d", len(p.Message.Attachments), maxParts)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	base := "Message-ID: <a@x>\nFrom: a@x\nSubject: s\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nline one\nFrom the start\n"
	same := []string{
		strings.ReplaceAll(base, "\n", "\r\n"),
		"Received: from mx by mx; Mon, 2 Mar 2026\nReturn-Path: <a@x>\n" + base,
		base + "\n\n",
		strings.Replace(base, "\nFrom the", "\n>From the", 1),
		strings.Replace(base, "Subject: s", "Subject:    s", 1),
	}
	differ := []string{
		strings.Replace(base, "line one", "line 1", 1),
		strings.Replace(base, "Subject: s", "Subject: t", 1),
		strings.Replace(base, "10:00:00", "10:00:01", 1),
	}
	want := ContentHash([]byte(base))
	for i, s := range same {
		if got := ContentHash([]byte(s)); got != want {
			t.Errorf("same[%d]: got %s, want %s", i, got, want)
		}
	}
	for i, s := range differ {
		if got := ContentHash([]byte(s)); got == want {
			t.Errorf("differ[%d]: hash equal to the original, want different", i)
		}
	}
}

func TestMsgIDs(t *testing.T) {
	cases := map[string]string{
		"<a@b> <c@d>":           "[<a@b> <c@d>]",
		"<a@b>,<c@d>":           "[<a@b> <c@d>]",
		"a@b":                   "[<a@b>]",
		"<a@b> (comment) <a@b>": "[<a@b>]",
		"<a@\r\n b>":            "[<a@b>]",
		"":                      "[]",
		"<unterminated@x":       "[<unterminated@x>]",
	}
	for in, want := range cases {
		if got := fmt.Sprint(msgIDs(in)); got != want {
			t.Errorf("msgIDs(%q): got %s, want %s", in, got, want)
		}
	}
}

func TestParseDateForms(t *testing.T) {
	cases := map[string]string{
		"Tue, 3 Mar 2026 10:15:00 +0100":        "2026-03-03T09:15:00Z",
		"3 Mar 2026 10:15:00 +0100":             "2026-03-03T09:15:00Z",
		"Tue, 3 Mar 2026 10:15:00 GMT+0100":     "2026-03-03T09:15:00Z",
		"Tue, 03 Mar 2026 10:15 +0000":          "2026-03-03T10:15:00Z",
		"Tue,  3 Mar 2026 10:15:00 +0000 (UTC)": "2026-03-03T10:15:00Z",
		"Tue Mar  3 10:15:00 2026":              "2026-03-03T10:15:00Z",
	}
	for in, want := range cases {
		got, ok := parseDate(in)
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("parseDate(%q): got %v %v, want %s", in, got, ok, want)
		}
	}
}

// Unpadded base64 shorter than a group ("QQ" is one byte) once panicked
// the decoder, and the message was kept raw as unreadable.
func TestParseUnpaddedBase64(t *testing.T) {
	raw := "From: a@example.com\r\nSubject: short\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGk\r\n" +
		"--b\r\nContent-Type: application/octet-stream; name=x.bin\r\nContent-Disposition: attachment; filename=x.bin\r\nContent-Transfer-Encoding: base64\r\n\r\nQQ\r\n" +
		"--b--\r\n"
	for _, lean := range []bool{false, true} {
		p := parse([]byte(raw), lean)
		m := p.Message
		if m.ParseError != "" {
			t.Fatalf("lean=%v: parse error %q", lean, m.ParseError)
		}
		if m.Text != "hi" {
			t.Errorf("lean=%v: text %q, want %q", lean, m.Text, "hi")
		}
		if len(m.Attachments) != 1 || m.Attachments[0].Size != 1 {
			t.Fatalf("lean=%v: attachments %+v, want one of 1 byte", lean, m.Attachments)
		}
		if !lean && string(m.Attachments[0].Data) != "A" {
			t.Errorf("attachment data %q, want %q", m.Attachments[0].Data, "A")
		}
	}
}
