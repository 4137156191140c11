package email

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"tidings/backend/inbox"
)

// TestParseLeanMatchesParse parses every corpus message both ways: ParseLean
// must give the same message, and the same attachments but for Data, which
// it leaves in the original (the span decodes to Parse's Data).
func TestParseLeanMatchesParse(t *testing.T) {
	files := corpusFiles(t)
	files = append(files, "") // plus a message with a base64 attachment
	lean := 0
	for _, f := range files {
		name := "base64-attachment"
		var raw []byte
		if f == "" {
			raw = []byte("From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
				"--b\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\nJSVFT0YK\r\n--b\r\n" +
				"Content-Type: image/png\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=89PNG=0D=0A\r\n--b--\r\n")
		} else {
			name = filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
			var err error
			if raw, err = os.ReadFile(f); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(name, func(t *testing.T) {
			full, thin := Parse(raw), ParseLean(raw)
			if !reflect.DeepEqual(full.Warnings, thin.Warnings) {
				t.Errorf("warnings: got %q, want %q", thin.Warnings, full.Warnings)
			}
			fa, ta := full.Message.Attachments, thin.Message.Attachments
			if len(fa) != len(ta) {
				t.Fatalf("attachments: got %d, want %d", len(ta), len(fa))
			}
			for i := range fa {
				a, b := fa[i], ta[i]
				if b.Data == nil {
					lean++
					data, _ := inbox.DecodeTransfer(b.Encoding, raw[b.InRaw[0]:b.InRaw[1]])
					if !bytes.Equal(data, a.Data) {
						t.Errorf("attachment %d: its span decodes to %d bytes, want Parse's %d", i, len(data), len(a.Data))
					}
					b.Data = a.Data
				}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("attachment %d: got %+v, want %+v", i, b, a)
				}
			}
			m1, m2 := *full.Message, *thin.Message
			m1.Attachments, m2.Attachments = nil, nil
			if !reflect.DeepEqual(m1, m2) {
				t.Errorf("message differs: got %+v, want %+v", m2, m1)
			}
		})
	}
	if lean == 0 {
		t.Error("no attachment was left in the original")
	}
}
