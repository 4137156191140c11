// Package snippet generates the "contact us" block a business pastes into
// its website: buttons that open a chat with the business on Telegram
// (https://t.me/<bot>), WhatsApp (https://wa.me/<number>) or Messenger
// (https://m.me/<page>), or write an email (mailto:, RFC 6068), so website
// visitors land in the same inbox without any server. The block is plain
// HTML with inline styles: no script, no external request, no cookie.
package snippet

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"tidings/backend/inbox"
)

// Options say which buttons the snippet shows. At least one channel is
// needed.
type Options struct {
	// Title heads the block, e.g. "Questions? Write to us".
	Title string `json:"title"`
	// Telegram is the bot's username, with or without "@".
	Telegram string `json:"telegram"`
	// TelegramStart is an optional deep-link parameter (A-Z, a-z, 0-9, _
	// and -, up to 64), so the bot's first message says where the visitor
	// came from.
	TelegramStart string `json:"telegram_start"`
	// Email is the address for the mail button.
	Email string `json:"email"`
	// EmailSubject prefills the subject.
	EmailSubject string `json:"email_subject"`
	// WhatsApp is a phone number in international form.
	WhatsApp string `json:"whatsapp"`
	// Messenger is a Facebook page's username.
	Messenger string `json:"messenger"`
	// Color is the buttons' colour as #rgb or #rrggbb (default #2563eb).
	Color string `json:"color"`
}

// Snippet is the generated block and a page that previews it.
type Snippet struct {
	// HTML is what the owner pastes into the website.
	HTML string `json:"html"`
	// Preview is a whole HTML document showing the block, for an iframe's
	// srcdoc in the settings.
	Preview string `json:"preview"`
	// Links lists the buttons' targets, in order.
	Links []Link `json:"links"`
}

// Link is one button.
type Link struct {
	Channel inbox.Channel `json:"channel"`
	Label   string        `json:"label"`
	URL     string        `json:"url"`
}

var (
	// Telegram usernames: 5-32 characters, letters, digits and
	// underscores, starting with a letter; bots end in "bot".
	botRe       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$`)
	startRe     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	colorRe     = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	messengerRe = regexp.MustCompile(`^[A-Za-z0-9.]{5,50}$`)
)

// Generate builds the snippet, or says which option is wrong.
func Generate(o Options) (Snippet, error) {
	var links []Link
	if o.Telegram != "" {
		bot := strings.TrimPrefix(strings.TrimSpace(o.Telegram), "@")
		bot = strings.TrimPrefix(bot, "https://t.me/")
		if !botRe.MatchString(bot) || !strings.HasSuffix(strings.ToLower(bot), "bot") {
			return Snippet{}, fmt.Errorf("snippet: %q is not a Telegram bot username (5-32 letters, digits or _, ending in \"bot\"): %w", o.Telegram, inbox.ErrInvalid)
		}
		u := "https://t.me/" + bot
		if o.TelegramStart != "" {
			if !startRe.MatchString(o.TelegramStart) {
				return Snippet{}, fmt.Errorf("snippet: start parameter %q may hold only letters, digits, _ and - (up to 64): %w", o.TelegramStart, inbox.ErrInvalid)
			}
			u += "?start=" + o.TelegramStart
		}
		links = append(links, Link{inbox.ChannelTelegram, "Chat on Telegram", u})
	}
	if o.WhatsApp != "" {
		phone, err := inbox.NormalizeAddress(inbox.ChannelWhatsApp, o.WhatsApp)
		if err != nil || !strings.HasPrefix(phone, "+") {
			return Snippet{}, fmt.Errorf("snippet: WhatsApp needs a number in international form such as +351 912 345 678, got %q: %w", o.WhatsApp, inbox.ErrInvalid)
		}
		links = append(links, Link{inbox.ChannelWhatsApp, "Chat on WhatsApp", "https://wa.me/" + strings.TrimPrefix(phone, "+")})
	}
	if o.Messenger != "" {
		page := strings.TrimPrefix(strings.TrimSpace(o.Messenger), "@")
		if !messengerRe.MatchString(page) {
			return Snippet{}, fmt.Errorf("snippet: %q is not a Facebook page username: %w", o.Messenger, inbox.ErrInvalid)
		}
		links = append(links, Link{"messenger", "Chat on Messenger", "https://m.me/" + page})
	}
	if o.Email != "" {
		addr, err := inbox.NormalizeAddress(inbox.ChannelEmail, o.Email)
		if err != nil {
			return Snippet{}, fmt.Errorf("snippet: %q is not an email address: %w", o.Email, inbox.ErrInvalid)
		}
		u := "mailto:" + addr
		if o.EmailSubject != "" {
			// RFC 6068: hfields are percent-encoded; spaces as %20.
			u += "?subject=" + strings.ReplaceAll(url.QueryEscape(o.EmailSubject), "+", "%20")
		}
		links = append(links, Link{inbox.ChannelEmail, "Send an email", u})
	}
	if len(links) == 0 {
		return Snippet{}, fmt.Errorf("snippet: choose at least one way to reach you (Telegram bot, email, WhatsApp or Messenger): %w", inbox.ErrInvalid)
	}
	color := o.Color
	if color == "" {
		color = "#2563eb"
	}
	if !colorRe.MatchString(color) {
		return Snippet{}, fmt.Errorf("snippet: colour %q is not #rgb or #rrggbb: %w", o.Color, inbox.ErrInvalid)
	}
	title := strings.TrimSpace(o.Title)
	if title == "" {
		title = "Questions? Write to us"
	}
	data := struct {
		Title string
		Color template.CSS
		Links []tplLink
	}{Title: title, Color: template.CSS(color)}
	for _, l := range links {
		// The URLs were built from validated parts above.
		data.Links = append(data.Links, tplLink{Label: l.Label, URL: template.URL(l.URL)})
	}
	var b bytes.Buffer
	if err := blockTpl.Execute(&b, data); err != nil {
		return Snippet{}, fmt.Errorf("snippet: %w", err)
	}
	html := b.String()
	var p bytes.Buffer
	if err := previewTpl.Execute(&p, template.HTML(html)); err != nil {
		return Snippet{}, fmt.Errorf("snippet: %w", err)
	}
	return Snippet{HTML: html, Preview: p.String(), Links: links}, nil
}

type tplLink struct {
	Label string
	URL   template.URL
}

var blockTpl = template.Must(template.New("block").Parse(`<!-- Contact us: generated by Tidings. No script, no tracking. -->
<div class="tidings-contact" style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:22rem;padding:1rem;border:1px solid #e5e7eb;border-radius:.75rem;background:#fff;color:#111827">
  <p style="margin:0 0 .75rem;font-size:1rem;font-weight:600">{{.Title}}</p>
{{- range .Links}}
  <a href="{{.URL}}" target="_blank" rel="noopener" style="display:block;margin:.5rem 0 0;padding:.6rem 1rem;border-radius:.5rem;background:{{$.Color}};color:#fff;text-align:center;text-decoration:none;font-weight:500">{{.Label}}</a>
{{- end}}
</div>
`))

var previewTpl = template.Must(template.New("preview").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Preview</title></head>
<body style="margin:0;padding:2rem;background:#f3f4f6">
{{.}}</body></html>
`))

// Defaults fills Options from the connected accounts: the first Telegram
// bot and the first email address.
func Defaults(accts []inbox.Account) Options {
	var o Options
	for _, a := range accts {
		switch {
		case a.Channel == inbox.ChannelTelegram && o.Telegram == "":
			o.Telegram = strings.TrimPrefix(a.Address, "@")
		case a.Channel == inbox.ChannelEmail && o.Email == "":
			o.Email = a.Address
		}
	}
	return o
}
