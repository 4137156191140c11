package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
)

// TestBusinessChatReplyWindow: a Business chat whose customer last wrote
// more than 24 hours ago is refused before anything reaches Telegram, with
// how long ago the window closed; a chat with the bot has no window.
func TestBusinessChatReplyWindow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := fakebot.User{ID: 999, FirstName: "Marta"}
	late := fakebot.User{ID: 4001, FirstName: "Late"}
	recent := fakebot.User{ID: 4002, FirstName: "Recent"}
	direct := fakebot.User{ID: 4003, FirstName: "Direct"}
	e.srv.Business("bc-9", owner, true)
	e.srv.Send(fakebot.Msg{Business: "bc-9", From: late, Text: "Still open?", Date: time.Now().Add(-27 * time.Hour)})
	e.srv.Send(fakebot.Msg{Business: "bc-9", From: recent, Text: "Open today?", Date: time.Now().Add(-time.Hour)})
	e.srv.Send(fakebot.Msg{From: direct, Text: "Hi bot", Date: time.Now().Add(-72 * time.Hour)})
	e.sync(t)
	conv := map[string]string{}
	for _, c := range e.convs(t) {
		conv[c.Contact.Name] = c.ID
	}
	conn := e.connector()
	if w := channels.CapabilitiesFor(conn, "biz:bc-9:4001").ReplyWindow; w != BusinessReplyWindow {
		t.Errorf("business chat window = %s, want 24h", w)
	}
	if w := channels.CapabilitiesFor(conn, "chat:4003").ReplyWindow; w != 0 {
		t.Errorf("bot chat window = %s, want none", w)
	}
	_, err := channels.Deliver(ctx, e.st, e.acct, conn, channels.Reply{ConversationID: conv["Late"], Text: "Yes!"})
	if !errors.Is(err, inbox.ErrInvalid) || !strings.Contains(err.Error(), "the window closed 3 h ago") {
		t.Errorf("late business reply: %v, want refused saying the window closed 3 h ago", err)
	}
	if n := len(e.srv.Sent()); n != 0 {
		t.Fatalf("Telegram got %d messages for a refused reply, want 0", n)
	}
	for _, name := range []string{"Recent", "Direct"} {
		if _, err := channels.Deliver(ctx, e.st, e.acct, conn, channels.Reply{ConversationID: conv[name], Text: "Yes!"}); err != nil {
			t.Errorf("reply to %s: %v", name, err)
		}
	}
	if n := len(e.srv.Sent()); n != 2 {
		t.Errorf("Telegram got %d messages, want 2", n)
	}
}
