package telegram

import "encoding/json"

// Wire types of the Bot API (https://core.telegram.org/bots/api#available-types),
// only the fields Tidings reads. translate.go turns them into inbox types.

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

type wireUpdate struct {
	UpdateID           int64                   `json:"update_id"`
	Message            *wireMessage            `json:"message"`
	BusinessConnection *wireBusinessConnection `json:"business_connection"`
	BusinessMessage    *wireMessage            `json:"business_message"`
	EditedMessage      *wireMessage            `json:"edited_message"`
	EditedBusiness     *wireMessage            `json:"edited_business_message"`
}

type wireUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

type wireMessage struct {
	MessageID            int64         `json:"message_id"`
	From                 *wireUser     `json:"from"`
	Chat                 *wireChat     `json:"chat"`
	Date                 int64         `json:"date"`
	BusinessConnectionID string        `json:"business_connection_id"`
	Text                 string        `json:"text"`
	Caption              string        `json:"caption"`
	Photo                []wirePhoto   `json:"photo"`
	Document             *wireDocument `json:"document"`
	Voice                *wireVoice    `json:"voice"`
	Audio                *wireDocument `json:"audio"`
	Video                *wireDocument `json:"video"`
	Sticker              *wireSticker  `json:"sticker"`
	Contact              *wireContact  `json:"contact"`
	ReplyToMessage       *struct {
		MessageID int64 `json:"message_id"`
	} `json:"reply_to_message"`
}

type wirePhoto struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name"`
	MimeType     string `json:"mime_type"`
	FileSize     int64  `json:"file_size"`
}

type wireVoice struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Duration     int    `json:"duration"`
	MimeType     string `json:"mime_type"`
	FileSize     int64  `json:"file_size"`
}

type wireSticker struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Emoji        string `json:"emoji"`
	IsAnimated   bool   `json:"is_animated"`
	IsVideo      bool   `json:"is_video"`
	FileSize     int64  `json:"file_size"`
}

type wireContact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	UserID      int64  `json:"user_id"`
}

type wireBusinessConnection struct {
	ID         string   `json:"id"`
	User       wireUser `json:"user"`
	UserChatID int64    `json:"user_chat_id"`
	Date       int64    `json:"date"`
	IsEnabled  bool     `json:"is_enabled"`
}

type wireFile struct {
	FileID   string `json:"file_id"`
	FileSize int64  `json:"file_size"`
	FilePath string `json:"file_path"`
}

// replyParameters quotes a message (Bot API 7.0, ReplyParameters).
type replyParameters struct {
	MessageID                int64 `json:"message_id"`
	AllowSendingWithoutReply bool  `json:"allow_sending_without_reply,omitempty"`
}
