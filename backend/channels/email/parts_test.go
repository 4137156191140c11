package email

import (
	"bytes"
	"testing"

	"tidings/backend/inbox"
)

// Attachments carry their IMAP body section and, when their encoded body
// is a piece of the original, where it lies: decoding that piece gives the
// same bytes the parser returned.
func TestAttachmentPartsAndSpans(t *testing.T) {
	raw := []byte("From: a@b.example\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n" +
		"--o\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n" +
		"--a\r\nContent-Type: text/plain\r\n\r\nhello\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>hello</p>\r\n--a--\r\n" +
		"--o\r\nContent-Type: image/png; name=x.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n" +
		"--o\r\nContent-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nsoft\r\n" +
		"--o--\r\n")
	p := Parse(raw)
	atts := p.Message.Attachments
	if len(atts) != 2 {
		t.Fatalf("attachments: got %d, want 2", len(atts))
	}
	for i, want := range []struct{ part, enc, data string }{{"2", "base64", "\x89PNG\r\n\x1a\n"}, {"3", "quoted-printable", "café soft"}} {
		a := atts[i]
		if a.Part != want.part || a.Encoding != want.enc || string(a.Data) != want.data {
			t.Errorf("attachment %d: got part %q encoding %q data %q, want %q %q %q", i, a.Part, a.Encoding, a.Data, want.part, want.enc, want.data)
		}
		if a.InRaw[1] <= a.InRaw[0] {
			t.Fatalf("attachment %d: no span in the original", i)
		}
		got, _ := inbox.DecodeTransfer(a.Encoding, raw[a.InRaw[0]:a.InRaw[1]])
		if !bytes.Equal(got, a.Data) {
			t.Errorf("attachment %d: span decodes to %q, want %q", i, got, a.Data)
		}
	}
	single := Parse([]byte("Subject: pdf\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n"))
	if a := single.Message.Attachments; len(a) != 1 || a[0].Part != "1" || string(a[0].Data) != "%PDF-" {
		t.Errorf("single-part message: got %+v, want part 1 with %%PDF-", a)
	}
}
