package telegram

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/inbox"
)

// Thread keys are the reply routes of conversations: "chat:<chat_id>" for a
// chat with the bot, "biz:<connection_id>:<chat_id>" for a chat of the
// owner's own account reached through Telegram Business.

func botThread(chatID int64) string { return "chat:" + strconv.FormatInt(chatID, 10) }

func bizThread(conn string, chatID int64) string {
	return "biz:" + conn + ":" + strconv.FormatInt(chatID, 10)
}

// route is a parsed thread key.
type route struct {
	chatID   int64
	business string
}

func parseThread(key string) (route, error) {
	var r route
	var id string
	switch {
	case strings.HasPrefix(key, "chat:"):
		id = strings.TrimPrefix(key, "chat:")
	case strings.HasPrefix(key, "biz:"):
		rest := strings.TrimPrefix(key, "biz:")
		i := strings.LastIndexByte(rest, ':')
		if i <= 0 {
			return r, fmt.Errorf("telegram: bad chat key %q: %w", key, inbox.ErrInvalid)
		}
		r.business, id = rest[:i], rest[i+1:]
	default:
		return r, fmt.Errorf("telegram: bad chat key %q: %w", key, inbox.ErrInvalid)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return r, fmt.Errorf("telegram: bad chat key %q: %w", key, inbox.ErrInvalid)
	}
	r.chatID = n
	return r, nil
}

// remoteID is a message's channel ID: its chat key and message_id, unique
// across the account.
func remoteID(thread string, messageID int64) string {
	return thread + "/" + strconv.FormatInt(messageID, 10)
}

// parseRemoteID returns the message_id inside a remote ID.
func parseRemoteID(id string) (int64, bool) {
	i := strings.LastIndexByte(id, '/')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(id[i+1:], 10, 64)
	return n, err == nil
}

func displayName(first, last, username string) string {
	name := strings.TrimSpace(first + " " + last)
	if name == "" && username != "" {
		name = "@" + username
	}
	return name
}

// emailRe finds email addresses customers write in chats.
var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)

// fileRef is a file to fetch for an attachment.
type fileRef struct {
	id   string
	size int64
}

// translate turns a message update into an Inbound (without attachment
// data, which Receive fetches) and the files to fetch, or explains why it
// cannot.
func translate(accountID string, raw []byte, m *wireMessage, business string) (channels.Inbound, []fileRef, error) {
	var in channels.Inbound
	if m.Chat == nil || m.MessageID == 0 {
		return in, nil, fmt.Errorf("telegram: message without chat or message_id")
	}
	if m.Chat.Type != "" && m.Chat.Type != "private" {
		return in, nil, fmt.Errorf("telegram: message from a %s chat (Tidings answers private chats only)", m.Chat.Type)
	}
	thread := botThread(m.Chat.ID)
	if business != "" {
		thread = bizThread(business, m.Chat.ID)
	}
	from := m.From
	if from == nil {
		from = &wireUser{ID: m.Chat.ID, FirstName: m.Chat.FirstName, LastName: m.Chat.LastName, Username: m.Chat.Username}
	}
	// In a private chat the chat's ID is the customer's user ID; a message
	// from anyone else there is the owner (Business) writing.
	dir := inbox.In
	customer := inbox.Identity{Channel: inbox.ChannelTelegram, Address: strconv.FormatInt(from.ID, 10),
		Display: displayName(from.FirstName, from.LastName, from.Username)}
	if from.ID != m.Chat.ID {
		dir = inbox.Out
		customer = inbox.Identity{Channel: inbox.ChannelTelegram, Address: strconv.FormatInt(m.Chat.ID, 10),
			Display: displayName(m.Chat.FirstName, m.Chat.LastName, m.Chat.Username)}
	}
	rid := remoteID(thread, m.MessageID)
	msg := inbox.Message{
		ID:        inbox.DerivedID(inbox.PrefixMessage, accountID, rid),
		Channel:   inbox.ChannelTelegram,
		Direction: dir,
		Date:      time.Unix(m.Date, 0).UTC(),
		From:      inbox.Address{Name: displayName(from.FirstName, from.LastName, from.Username), Address: strconv.FormatInt(from.ID, 10)},
		Text:      m.Text,
		MessageID: rid,
		Raw:       raw,
	}
	if dir == inbox.Out {
		msg.To = []inbox.Address{{Name: customer.Display, Address: customer.Address}}
	}
	if msg.Text == "" {
		msg.Text = m.Caption
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.MessageID != 0 {
		msg.InReplyTo = remoteID(thread, m.ReplyToMessage.MessageID)
	}
	var files []fileRef
	add := func(name, ct string, f fileRef) {
		msg.Attachments = append(msg.Attachments, inbox.Attachment{
			ID: inbox.DerivedID(inbox.PrefixAttachment, msg.ID, strconv.Itoa(len(files))), Name: name, ContentType: ct, Size: f.size})
		files = append(files, f)
	}
	if n := len(m.Photo); n > 0 {
		p := m.Photo[n-1] // the largest size comes last
		add(fmt.Sprintf("photo-%d.jpg", m.MessageID), "image/jpeg", fileRef{p.FileID, p.FileSize})
	}
	if d := m.Document; d != nil {
		add(orDefault(d.FileName, fmt.Sprintf("file-%d", m.MessageID)), orDefault(d.MimeType, "application/octet-stream"), fileRef{d.FileID, d.FileSize})
	}
	if d := m.Audio; d != nil {
		add(orDefault(d.FileName, fmt.Sprintf("audio-%d", m.MessageID)), orDefault(d.MimeType, "audio/mpeg"), fileRef{d.FileID, d.FileSize})
	}
	if d := m.Video; d != nil {
		add(orDefault(d.FileName, fmt.Sprintf("video-%d.mp4", m.MessageID)), orDefault(d.MimeType, "video/mp4"), fileRef{d.FileID, d.FileSize})
	}
	if v := m.Voice; v != nil {
		add(fmt.Sprintf("voice-%d.ogg", m.MessageID), orDefault(v.MimeType, "audio/ogg"), fileRef{v.FileID, v.FileSize})
	}
	if s := m.Sticker; s != nil {
		name, ct := fmt.Sprintf("sticker-%d.webp", m.MessageID), "image/webp"
		switch {
		case s.IsAnimated:
			name, ct = fmt.Sprintf("sticker-%d.tgs", m.MessageID), "application/x-tgsticker"
		case s.IsVideo:
			name, ct = fmt.Sprintf("sticker-%d.webm", m.MessageID), "video/webm"
		}
		add(name, ct, fileRef{s.FileID, s.FileSize})
		if msg.Text == "" {
			msg.Text = s.Emoji
		}
	}
	if c := m.Contact; c != nil {
		card := strings.TrimSpace("Contact: " + displayName(c.FirstName, c.LastName, "") + " " + c.PhoneNumber)
		if msg.Text == "" {
			msg.Text = card
		}
		// A customer sharing their own card shows their phone number.
		if dir == inbox.In && c.UserID == from.ID && c.PhoneNumber != "" {
			phone := c.PhoneNumber
			if !strings.HasPrefix(phone, "+") {
				phone = "+" + phone
			}
			in.Claims = append(in.Claims, inbox.Identity{Channel: inbox.ChannelPhone, Address: phone})
		}
	}
	if dir == inbox.In {
		for _, e := range emailRe.FindAllString(msg.Text, 5) {
			in.Claims = append(in.Claims, inbox.Identity{Channel: inbox.ChannelEmail, Address: strings.ToLower(e)})
		}
	}
	in.Thread, in.Sender, in.Message = thread, customer, msg
	return in, files, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
