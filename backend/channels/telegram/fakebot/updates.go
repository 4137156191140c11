package fakebot

import (
	"fmt"
	"time"
)

// Msg describes a message a user sends; zero fields are left out.
type Msg struct {
	From User
	// Business sends through a Telegram Business connection, into the
	// owner's private chat with From (or with Chat when the owner writes).
	Business string
	// Chat overrides the chat (default: the private chat with From).
	Chat    int64
	Text    string
	Caption string
	// Photo, Document, Voice and Sticker attach a file added with AddFile.
	Photo, Document, Voice, Sticker *File
	Emoji                           string
	// ContactPhone shares a contact card (with ContactUser as its user).
	ContactPhone string
	ContactUser  int64
	ReplyTo      int64
	Date         time.Time
}

// Text queues a private text message from a user and returns its message_id.
func (s *Server) Text(from User, text string) int64 {
	return s.Send(Msg{From: from, Text: text})
}

// Send queues a message update (or business_message when m.Business is
// set) and returns the message_id.
func (s *Server) Send(m Msg) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat := m.Chat
	if chat == 0 {
		chat = m.From.ID
	}
	key := fmt.Sprint(chat)
	if m.Business != "" {
		key = m.Business + "/" + key
	}
	s.msgIDs[key]++
	id := s.msgIDs[key]
	if m.Date.IsZero() {
		m.Date = time.Now()
	}
	chatUser := m.From
	if m.Chat != 0 && m.Chat != m.From.ID {
		chatUser = User{ID: m.Chat, FirstName: "Customer"}
	}
	msg := map[string]any{
		"message_id": id, "from": m.From.wire(), "date": m.Date.Unix(),
		"chat": map[string]any{"id": chat, "type": "private", "first_name": chatUser.FirstName, "username": chatUser.Username},
	}
	if m.Text != "" {
		msg["text"] = m.Text
	}
	if m.Caption != "" {
		msg["caption"] = m.Caption
	}
	if f := m.Photo; f != nil {
		msg["photo"] = []map[string]any{
			{"file_id": f.ID + "-thumb", "file_unique_id": f.UniqueID + "t", "width": 90, "height": 90, "file_size": 100},
			{"file_id": f.ID, "file_unique_id": f.UniqueID, "width": 1280, "height": 960, "file_size": len(f.Data)},
		}
	}
	if f := m.Document; f != nil {
		msg["document"] = map[string]any{"file_id": f.ID, "file_unique_id": f.UniqueID, "file_name": f.Name, "mime_type": f.MIME, "file_size": len(f.Data)}
	}
	if f := m.Voice; f != nil {
		msg["voice"] = map[string]any{"file_id": f.ID, "file_unique_id": f.UniqueID, "duration": 3, "mime_type": "audio/ogg", "file_size": len(f.Data)}
	}
	if f := m.Sticker; f != nil {
		msg["sticker"] = map[string]any{"file_id": f.ID, "file_unique_id": f.UniqueID, "type": "regular", "width": 512, "height": 512,
			"is_animated": false, "is_video": false, "emoji": m.Emoji, "file_size": len(f.Data)}
	}
	if m.ContactPhone != "" {
		msg["contact"] = map[string]any{"phone_number": m.ContactPhone, "first_name": m.From.FirstName, "user_id": m.ContactUser}
	}
	if m.ReplyTo != 0 {
		msg["reply_to_message"] = map[string]any{"message_id": m.ReplyTo, "date": m.Date.Unix(), "chat": msg["chat"]}
	}
	kind := "message"
	if m.Business != "" {
		msg["business_connection_id"] = m.Business
		kind = "business_message"
	}
	s.pushLocked(kind, msg)
	return id
}

// Business queues a business_connection update: the owner connected (or,
// with enabled false, disconnected) the bot to their Telegram Business
// account.
func (s *Server) Business(id string, owner User, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.business[id] = &business{id: id, owner: owner, enabled: enabled}
	s.pushLocked("business_connection", map[string]any{
		"id": id, "user": owner.wire(), "user_chat_id": owner.ID, "date": time.Now().Unix(),
		"rights": map[string]any{"can_reply": true}, "can_reply": true, "is_enabled": enabled,
	})
}

// Edit queues an edited_message (or edited_business_message) update: the
// user changed the text of an earlier message.
func (s *Server) Edit(m Msg, messageID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat := m.Chat
	if chat == 0 {
		chat = m.From.ID
	}
	now := time.Now()
	msg := map[string]any{
		"message_id": messageID, "from": m.From.wire(), "date": now.Add(-time.Minute).Unix(), "edit_date": now.Unix(),
		"chat": map[string]any{"id": chat, "type": "private", "first_name": m.From.FirstName}, "text": m.Text,
	}
	kind := "edited_message"
	if m.Business != "" {
		msg["business_connection_id"] = m.Business
		kind = "edited_business_message"
	}
	s.pushLocked(kind, msg)
}
