package fakebot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// send implements sendMessage, sendPhoto, sendDocument and sendVoice.
func (s *Server) send(method string, p map[string]string, files map[string]upload) (any, *apiError) {
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		return nil, &apiError{400, "Bad Request: chat not found", 0}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	from := s.Bot
	key := fmt.Sprint(chatID)
	if bc := p["business_connection_id"]; bc != "" {
		b, ok := s.business[bc]
		if !ok || !b.enabled {
			return nil, &apiError{400, "Bad Request: BUSINESS_CONNECTION_INVALID", 0}
		}
		from = b.owner
		key = bc + "/" + key
	}
	if _, known := s.msgIDs[key]; !known {
		return nil, &apiError{400, "Bad Request: chat not found", 0}
	}
	if s.blocked[chatID] && p["business_connection_id"] == "" {
		return nil, &apiError{403, "Forbidden: bot was blocked by the user", 0}
	}
	out := Sent{Method: method, ChatID: chatID, Business: p["business_connection_id"]}
	msg := map[string]any{"from": from.wire(), "chat": map[string]any{"id": chatID, "type": "private"}, "date": time.Now().Unix()}
	if rp := p["reply_parameters"]; rp != "" {
		var r struct {
			MessageID int64 `json:"message_id"`
			Allow     bool  `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(rp), &r); err != nil || r.MessageID == 0 {
			return nil, &apiError{400, "Bad Request: can't parse reply parameters JSON object", 0}
		}
		if r.MessageID > s.msgIDs[key] && !r.Allow {
			return nil, &apiError{400, "Bad Request: message to be replied not found", 0}
		}
		out.ReplyTo = r.MessageID
		msg["reply_to_message"] = map[string]any{"message_id": r.MessageID, "chat": msg["chat"], "date": time.Now().Unix()}
	}
	if method == "sendMessage" {
		out.Text = p["text"]
		switch n := utf8.RuneCountInString(strings.TrimSpace(out.Text)); {
		case n == 0:
			return nil, &apiError{400, "Bad Request: message text is empty", 0}
		case n > MaxTextLength:
			return nil, &apiError{400, "Bad Request: message is too long", 0}
		}
		msg["text"] = out.Text
	} else {
		field := strings.ToLower(strings.TrimPrefix(method, "send"))
		out.Caption = p["caption"]
		if utf8.RuneCountInString(out.Caption) > MaxCaption {
			return nil, &apiError{400, "Bad Request: message caption is too long", 0}
		}
		var f *File
		if up, ok := files[field]; ok {
			if len(up.data) > MaxUploadSize {
				return nil, &apiError{413, "Request Entity Too Large", 0}
			}
			mt := map[string]string{"photo": "image/jpeg", "voice": "audio/ogg"}[field]
			f = s.addFileLocked(up.name, mt, up.data)
			out.FileSource = "upload"
		} else if id := p[field]; id != "" {
			if f = s.files[id]; f == nil {
				if strings.HasPrefix(id, "http") {
					f = s.addFileLocked(id, "", nil)
					out.FileSource = "url"
				} else {
					return nil, &apiError{400, "Bad Request: wrong file identifier/HTTP URL specified", 0}
				}
			} else {
				out.FileSource = "file_id"
			}
		} else {
			return nil, &apiError{400, "Bad Request: there is no " + field + " in the request", 0}
		}
		out.FileName, out.FileData = f.Name, f.Data
		desc := map[string]any{"file_id": f.ID, "file_unique_id": f.UniqueID, "file_size": len(f.Data)}
		switch field {
		case "photo":
			msg["photo"] = []map[string]any{desc}
		case "document":
			desc["file_name"] = f.Name
			msg["document"] = desc
		case "voice":
			desc["duration"] = 1
			msg["voice"] = desc
		}
		if out.Caption != "" {
			msg["caption"] = out.Caption
		}
	}
	s.msgIDs[key]++
	out.MessageID = s.msgIDs[key]
	msg["message_id"] = out.MessageID
	if out.Business != "" {
		msg["business_connection_id"] = out.Business
	}
	s.sent = append(s.sent, out)
	return msg, nil
}
