package export

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

// craftedRaw are originals chosen to trip exporters: "From " lines in the
// body, a message without a final line end, Cyrillic and CJK in encoded
// words and 8-bit bodies, an attachment.
var craftedRaw = []string{
	"From: =?utf-8?b?0JTQvNC40YLRgNC40Lk=?= <d.ivanov@example.ru>\r\nTo: hello@bluebird-bikes.example\r\n" +
		"Subject: =?utf-8?b?0JfQsNC60LDQtyDihJYgNDI=?=\r\nDate: Mon, 02 Nov 2026 10:00:00 +0300\r\n" +
		"Message-ID: <crafted-1@example.ru>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		"Здравствуйте!\r\nFrom the start of this line mbox needs quoting.\r\n>From quoted once already.\r\n>>From twice.\r\n日本語のテキストも。\r\n" +
		"--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		"JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK\r\n--b1--\r\n",
	"From: Hiro Tanaka <hiro.tanaka@example.jp>\r\nTo: hello@bluebird-bikes.example\r\nSubject: =?utf-8?b?44K144Kk44K6?=\r\n" +
		"Date: Tue, 03 Nov 2026 09:30:00 +0900\r\nMessage-ID: <crafted-2@example.jp>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nこんにちは。フレームサイズは？\r\nFrom here, no final line end.",
}

// fixture is a demo store with the crafted email messages and a Telegram
// message carrying a CJK caption and an attachment.
func fixture(t *testing.T) (*store.Store, []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Seed(ctx, st, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		ct, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "d.ivanov@example.ru", "Dmitri")
		if err != nil {
			return err
		}
		c := inbox.Conversation{Channel: inbox.ChannelEmail, ContactID: ct, Subject: "Заказ № 42"}
		if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
			return err
		}
		ids = append(ids, c.ID)
		for i, raw := range craftedRaw {
			m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
				Date: time.Date(2026, 11, 2+i, 7, 0, 0, 0, time.UTC), From: inbox.Address{Name: "Дмитрий", Address: "d.ivanov@example.ru"},
				To: []inbox.Address{demo.Shop}, Subject: "Заказ № 42", MessageID: "<crafted-" + string(rune('1'+i)) + "@example>",
				Text: "Здравствуйте!\nFrom the start of this line mbox needs quoting.\n日本語のテキストも。 한국어 텍스트. Ελληνικά.",
				Raw:  []byte(raw)}
			if i == 0 {
				m.Attachments = []inbox.Attachment{{Name: "invoice.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n"), Fetched: true}}
			}
			if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
				return err
			}
		}
		tg := inbox.Conversation{Channel: inbox.ChannelTelegram, ContactID: ct, Subject: ""}
		if err := st.CreateConversationTx(ctx, tx, &tg); err != nil {
			return err
		}
		ids = append(ids, tg.ID)
		m := inbox.Message{ConversationID: tg.ID, Channel: inbox.ChannelTelegram, Direction: inbox.In,
			Date: time.Date(2026, 11, 4, 8, 0, 0, 0, time.UTC), From: inbox.Address{Name: "Дмитрий", Address: "7001"},
			To: []inbox.Address{{Name: "Bluebird Bikes", Address: "@bluebird_bikes_bot"}}, MessageID: "9001",
			Text:        "Фото рамы 写真\nFrom my phone, = not a formula\n-5 degrees",
			Attachments: []inbox.Attachment{{Name: "frame photo.jpg", ContentType: "image/jpeg", Data: demoJPEG(t), Fetched: true}}}
		_, err = st.InsertMessageTx(ctx, tx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, ids
}

func demoJPEG(t *testing.T) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", "pixel.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// python runs a Python 3 script with arguments and returns its output.
func python(t *testing.T, script string, args ...string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed to read exports back")
		}
		t.Skip("python3 not installed")
	}
	cmd := exec.Command(py, append([]string{"-c", script}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

var zeroTime time.Time
