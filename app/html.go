package app

import (
	"encoding/base64"
	"fmt"
	"strings"

	"tidings/backend/htmlsafe"
	"tidings/backend/inbox"
)

// maxInlineImage is the largest inline image put into a message's HTML.
const maxInlineImage = 4 << 20

// MessageHTMLView is a message's HTML body made safe, with what was held
// back and whether the user always loads images from this sender.
type MessageHTMLView struct {
	htmlsafe.Result
	Sender           string `json:"sender"`
	AlwaysLoadImages bool   `json:"always_load_images"`
}

func imagesKey(address string) string {
	if n, err := inbox.NormalizeAddress(inbox.ChannelEmail, address); err == nil {
		address = n
	}
	return "images.allow." + strings.ToLower(strings.TrimSpace(address))
}

// MessageHTML returns a message's HTML body sanitized by the strict email
// policy, for the sandboxed frame. Remote images load when loadImages is
// set (the user's "load images" for this message) or when the user chose to
// always load them from this sender; tracking pixels never load.
func (a *Inbox) MessageHTML(id string, loadImages bool) (MessageHTMLView, error) {
	m, err := a.ws.Store.Message(a.ctx, id)
	if err != nil {
		return MessageHTMLView{}, err
	}
	v := MessageHTMLView{Sender: m.From.Address}
	if m.HTML == "" {
		return v, fmt.Errorf("app: message %s has no HTML body: %w", id, inbox.ErrNotFound)
	}
	if m.Direction == inbox.In && m.From.Address != "" {
		s, err := a.ws.Store.Setting(a.ctx, imagesKey(m.From.Address))
		if err != nil {
			return v, fmt.Errorf("app: image setting: %w", err)
		}
		v.AlwaysLoadImages = s == "always"
	}
	o := htmlsafe.Options{RemoteImages: loadImages || v.AlwaysLoadImages, Inline: map[string]string{}}
	for _, at := range m.Attachments {
		if at.ContentID == "" || at.Size > maxInlineImage || !strings.HasPrefix(strings.ToLower(at.ContentType), "image/") {
			continue
		}
		full, err := a.ws.Store.Attachment(a.ctx, at.ID)
		if err != nil || len(full.Data) == 0 {
			continue
		}
		o.Inline[strings.Trim(at.ContentID, "<>")] = "data:" + strings.ToLower(at.ContentType) + ";base64," + base64.StdEncoding.EncodeToString(full.Data)
	}
	v.Result = htmlsafe.Sanitize(m.HTML, o)
	return v, nil
}

// AllowImagesFrom remembers whether remote images from this sender always
// load.
func (a *Inbox) AllowImagesFrom(address string, always bool) error {
	if strings.TrimSpace(address) == "" {
		return fmt.Errorf("app: no sender address given: %w", inbox.ErrInvalid)
	}
	val := ""
	if always {
		val = "always"
	}
	return a.ws.Store.SetSetting(a.ctx, imagesKey(address), val)
}
