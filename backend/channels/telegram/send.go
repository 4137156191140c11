package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tidings/backend/channels"
	"tidings/backend/inbox"
)

// Send delivers a reply into its chat: the text with sendMessage, each file
// with sendPhoto, sendVoice or sendDocument (the text rides as the first
// file's caption when it fits), quoting the customer's message and, in a
// Business chat, as the owner. Nothing is retried here: a failed request
// may have been delivered, so the caller decides.
func (c *Connector) Send(ctx context.Context, out channels.Outbound) (channels.SendResult, error) {
	r, err := parseThread(out.Thread)
	if err != nil {
		if out.To == "" {
			return channels.SendResult{}, channels.Rejected("send", err, "this conversation has no Telegram chat to answer in")
		}
		// No chat key: a private chat's ID is the user's ID.
		id, perr := strconv.ParseInt(out.To, 10, 64)
		if perr != nil {
			return channels.SendResult{}, channels.Rejected("send", err, "this conversation has no Telegram chat to answer in")
		}
		r = route{chatID: id}
	}
	if utf8.RuneCountInString(out.Text) > MaxTextLength {
		return channels.SendResult{}, channels.Rejected("send", fmt.Errorf("telegram: text of %d characters: %w", utf8.RuneCountInString(out.Text), inbox.ErrInvalid),
			fmt.Sprintf("Telegram allows %d characters per message: shorten it or split it", MaxTextLength))
	}
	thread := out.Thread
	if thread == "" {
		thread = botThread(r.chatID)
	}
	base := map[string]any{"chat_id": r.chatID}
	if r.business != "" {
		base["business_connection_id"] = r.business
	}
	if id, ok := parseRemoteID(out.QuoteID); ok {
		base["reply_parameters"] = replyParameters{MessageID: id, AllowSendingWithoutReply: true}
	}
	var res channels.SendResult
	text := strings.TrimSpace(out.Text)
	caption := ""
	if len(out.Attachments) > 0 && utf8.RuneCountInString(text) <= MaxCaption {
		caption, text = text, ""
	}
	if text != "" {
		p := clone(base)
		p["text"] = out.Text
		var m wireMessage
		if err := c.throttled(ctx, func() error { return c.c.call(ctx, "sendMessage", p, &m) }); err != nil {
			return res, err
		}
		addSent(&res, thread, m.MessageID)
		delete(base, "reply_parameters") // quote once
	}
	for i, a := range out.Attachments {
		if int64(len(a.Data)) > MaxUploadSize {
			return res, channels.Rejected("send", fmt.Errorf("telegram: %s is %d MB", a.Name, len(a.Data)>>20), "Telegram bots can send files up to 50 MB")
		}
		method, field := "sendDocument", "document"
		switch {
		case a.ContentType == "image/jpeg" || a.ContentType == "image/png":
			method, field = "sendPhoto", "photo"
		case a.ContentType == "audio/ogg":
			method, field = "sendVoice", "voice"
		}
		fields := map[string]string{"chat_id": strconv.FormatInt(r.chatID, 10)}
		if r.business != "" {
			fields["business_connection_id"] = r.business
		}
		if rp, ok := base["reply_parameters"]; ok {
			b, _ := json.Marshal(rp)
			fields["reply_parameters"] = string(b)
		}
		if i == 0 && caption != "" {
			fields["caption"] = caption
		}
		var m wireMessage
		file := part{field: field, name: a.Name, contentType: a.ContentType, data: a.Data}
		if err := c.throttled(ctx, func() error { return c.c.callMultipart(ctx, method, fields, file, &m) }); err != nil {
			return res, err
		}
		addSent(&res, thread, m.MessageID)
		delete(base, "reply_parameters")
	}
	res.SentAt = time.Now().UTC()
	return res, nil
}

// maxThrottleWait is the longest "retry after" a send waits out by itself;
// longer ones fail the message with the wait in its reason.
const maxThrottleWait = 30 * time.Second

// throttled runs one send, repeating it while the Bot API answers 429 with
// a short retry_after. A 429 means the message was not taken, so repeating
// it cannot send it twice.
func (c *Connector) throttled(ctx context.Context, send func() error) error {
	for range 3 {
		err := send()
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != 429 || ae.RetryAfter > maxThrottleWait {
			return err
		}
		if err := c.sleep(ctx, ae.RetryAfter); err != nil {
			return err
		}
	}
	return send()
}

func addSent(r *channels.SendResult, thread string, id int64) {
	rid := remoteID(thread, id)
	if r.RemoteID == "" {
		r.RemoteID = rid
	}
	r.RemoteIDs = append(r.RemoteIDs, rid)
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}
