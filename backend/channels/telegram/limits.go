package telegram

import (
	"strings"
	"time"

	"tidings/backend/channels"
)

// BusinessReplyWindow is how long after a customer's last message the bot
// may answer in a Telegram Business chat: it acts for the business account
// only "in chats that were active in the last 24 hours" (Bot API,
// BusinessConnection.can_reply). A chat with the bot itself has no window.
const BusinessReplyWindow = 24 * time.Hour

// ThreadCapabilities are the bot's capabilities in one chat: a Business
// chat ("biz:...") has the 24-hour reply window, so the window says so
// before sending and channels.Deliver refuses a late reply with the reason
// instead of Telegram refusing it after.
func (c *Connector) ThreadCapabilities(thread string) channels.Capabilities {
	caps := c.Capabilities()
	if strings.HasPrefix(thread, "biz:") {
		caps.ReplyWindow = BusinessReplyWindow
	}
	return caps
}
