package channels

import (
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

func TestRefusal(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tg := Capabilities{Attachments: true, MaxTextLength: 10, MaxUploadSize: 2 << 20}
	biz := tg
	biz.ReplyWindow = 24 * time.Hour
	cases := []struct {
		name  string
		caps  Capabilities
		text  string
		files []inbox.Attachment
		last  time.Time
		want  string
	}{
		{"fits", tg, "0123456789", nil, time.Time{}, ""},
		{"characters, not bytes", tg, "ünïcødé ✓✓", nil, time.Time{}, ""},
		{"text too long", tg, "01234567890", nil, time.Time{}, "Telegram allows 10 characters in a message; this one has 11"},
		{"file too big by its size", tg, "", []inbox.Attachment{{Name: "film.mp4", Size: 3 << 20}}, time.Time{}, "film.mp4 is 3 MB; Telegram accepts files up to 2 MB"},
		{"no files on the channel", Capabilities{}, "", []inbox.Attachment{{Name: "a.txt", Data: []byte("x")}}, time.Time{}, "Telegram cannot carry files"},
		{"inside the window", biz, "ok", nil, now.Add(-23 * time.Hour), ""},
		{"window closed", biz, "ok", nil, now.Add(-27 * time.Hour), "Telegram allows replies only within 24 h of the customer's last message: the window closed 3 h ago"},
		{"window closed minutes ago", biz, "ok", nil, now.Add(-24*time.Hour - 5*time.Minute), "the window closed 5 min ago"},
		{"never wrote", biz, "ok", nil, time.Time{}, "they have not written here"},
		{"no window", tg, "ok", nil, now.Add(-1000 * time.Hour), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Refusal(c.caps, inbox.ChannelTelegram, c.text, c.files, c.last, now)
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
