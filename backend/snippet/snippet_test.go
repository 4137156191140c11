package snippet

import (
	"errors"
	"strings"
	"testing"

	"tidings/backend/inbox"
)

func TestGenerate(t *testing.T) {
	s, err := Generate(Options{Title: `Ask <Marta> & co`, Telegram: "@Shop_Bot", TelegramStart: "website", Email: "Hello@Shop.example",
		EmailSubject: "Question about my order", WhatsApp: "+351 912 345 678", Messenger: "shop.example", Color: "#0a0"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`href="https://t.me/Shop_Bot?start=website"`,
		`href="https://wa.me/351912345678"`,
		`href="https://m.me/shop.example"`,
		`href="mailto:hello@shop.example?subject=Question%20about%20my%20order"`,
		`Ask &lt;Marta&gt; &amp; co`,
		`background:#0a0`,
		`rel="noopener"`,
	}
	for _, w := range want {
		if !strings.Contains(s.HTML, w) {
			t.Errorf("snippet lacks %s:\n%s", w, s.HTML)
		}
	}
	if strings.Contains(strings.ToLower(s.HTML), "<script") {
		t.Error("the snippet carries a script")
	}
	if !strings.HasPrefix(s.Preview, "<!DOCTYPE html>") || !strings.Contains(s.Preview, s.HTML) {
		t.Error("the preview does not show the snippet")
	}
	if len(s.Links) != 4 || s.Links[0].Channel != inbox.ChannelTelegram || s.Links[3].Channel != inbox.ChannelEmail {
		t.Errorf("links = %+v, want Telegram, WhatsApp, Messenger, email", s.Links)
	}
}

func TestGenerateRefusesBadOptions(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"nothing", Options{Title: "Hi"}, "at least one"},
		{"not a bot", Options{Telegram: "marta_shop"}, "ending in"},
		{"script in bot name", Options{Telegram: `x"><script>bot`}, "not a Telegram bot"},
		{"bad start", Options{Telegram: "shop_bot", TelegramStart: "a b"}, "start parameter"},
		{"bad email", Options{Email: "javascript:alert(1)"}, "not an email"},
		{"local WhatsApp number", Options{WhatsApp: "912345678"}, "international"},
		{"css injection", Options{Email: "a@b.example", Color: "red;background:url(x)"}, "colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Generate(c.o)
			if !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want invalid mentioning %q", err, c.want)
			}
		})
	}
}
