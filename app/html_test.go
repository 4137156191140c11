package app

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
)

// htmlMessage stores one inbound email with an HTML body and an inline
// image, and returns its message ID.
func htmlMessage(t *testing.T, a *Inbox, body string) string {
	t.Helper()
	ctx := context.Background()
	st := a.ws.Store
	var id string
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		contact, err := st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, "news@shop.example", "Shop News")
		if err != nil {
			return err
		}
		c := inbox.Conversation{ContactID: contact, Channel: inbox.ChannelEmail, Subject: "News", Status: inbox.StatusOpen, CreatedAt: time.Now()}
		if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
			return err
		}
		m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In,
			From: inbox.Address{Name: "Shop News", Address: "news@shop.example"}, Subject: "News", Text: "news", HTML: body,
			Attachments: []inbox.Attachment{{Name: "logo.png", ContentType: "image/png", ContentID: "<logo@shop>", Inline: true, Data: []byte("\x89PNG\r\n\x1a\n")}}}
		if _, err := st.InsertMessageTx(ctx, tx, &m); err != nil {
			return err
		}
		id = m.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMessageHTML(t *testing.T) {
	a, _ := newInbox(t)
	id := htmlMessage(t, a, `<p onclick="x()">Hi</p><img src="https://img.shop.example/a.jpg"><img src="cid:logo@shop"><script>alert(1)</script>`)

	v, err := a.MessageHTML(id, false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v.HTML, "script") || strings.Contains(v.HTML, "onclick") {
		t.Errorf("unsafe markup kept: %s", v.HTML)
	}
	if len(v.BlockedImages) != 1 || v.RemoteImages != 0 || v.AlwaysLoadImages {
		t.Errorf("by default: got %d blocked, %d remote, always=%v; want 1, 0, false", len(v.BlockedImages), v.RemoteImages, v.AlwaysLoadImages)
	}
	if !strings.Contains(v.HTML, `src="data:image/png;base64,iVBORw0KGgo="`) {
		t.Errorf("the inline image was not resolved: %s", v.HTML)
	}

	if v, _ = a.MessageHTML(id, true); v.RemoteImages != 1 || len(v.BlockedImages) != 0 {
		t.Errorf("load once: got %d remote, %d blocked; want 1, 0", v.RemoteImages, len(v.BlockedImages))
	}

	if err := a.AllowImagesFrom("News@Shop.example", true); err != nil {
		t.Fatal(err)
	}
	if v, _ = a.MessageHTML(id, false); !v.AlwaysLoadImages || v.RemoteImages != 1 {
		t.Errorf("always for the sender: got always=%v, %d remote", v.AlwaysLoadImages, v.RemoteImages)
	}
	if err := a.AllowImagesFrom("news@shop.example", false); err != nil {
		t.Fatal(err)
	}
	if v, _ = a.MessageHTML(id, false); v.AlwaysLoadImages || v.RemoteImages != 0 {
		t.Errorf("after turning it off: got always=%v, %d remote", v.AlwaysLoadImages, v.RemoteImages)
	}

	if _, err := a.MessageHTML("msg_nope", false); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown message: got %v, want ErrNotFound", err)
	}
	if err := a.AllowImagesFrom(" ", true); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("empty sender: got %v, want ErrInvalid", err)
	}
}
