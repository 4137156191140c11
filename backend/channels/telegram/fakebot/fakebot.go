// Package fakebot is a local fake of the Telegram Bot API
// (https://core.telegram.org/bots/api) for tests. It follows the documented
// wire format: methods at /bot<token>/<method> taking query-string, JSON,
// URL-encoded or multipart parameters; answers {"ok":true,"result":...} or
// {"ok":false,"error_code":N,"description":"...","parameters":{"retry_after":S}};
// getUpdates with offsets that confirm earlier updates, long-poll timeouts
// and a 409 Conflict when a second poller takes over; getFile and file
// downloads at /file/bot<token>/<file_path> with the 20 MB download limit;
// sendMessage, sendPhoto, sendDocument and sendVoice with reply_parameters
// and business_connection_id; Telegram Business connections and messages.
//
// Tests drive it with helpers (Text, Photo, Business, Block, Fail, Drop) and
// check what the bot sent with Sent.
package fakebot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Limits of the real Bot API.
const (
	MaxTextLength   = 4096
	MaxCaption      = 1024
	MaxDownloadSize = 20 << 20
	MaxUploadSize   = 50 << 20
)

// User is a Telegram user as the fake knows it.
type User struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
	IsBot     bool
}

func (u User) wire() map[string]any {
	m := map[string]any{"id": u.ID, "is_bot": u.IsBot, "first_name": u.FirstName}
	if u.LastName != "" {
		m["last_name"] = u.LastName
	}
	if u.Username != "" {
		m["username"] = u.Username
	}
	return m
}

// File is something a user sent or the bot uploaded.
type File struct {
	ID, UniqueID, Path, Name, MIME string
	Data                           []byte
	gone                           bool
}

// Sent is one message the bot sent.
type Sent struct {
	Method     string
	ChatID     int64
	MessageID  int64
	Text       string
	Caption    string
	ReplyTo    int64
	Business   string
	FileName   string
	FileData   []byte
	FileSource string // "upload", "file_id" or "url"
}

type pending struct {
	id  int64
	raw []byte // the update's JSON, without update_id when raw is false
}

type fault struct {
	method     string
	code       int
	desc       string
	retryAfter int
	drop       bool
}

type business struct {
	id      string
	owner   User
	enabled bool
}

// Server is a running fake Bot API.
type Server struct {
	URL   string
	Token string
	Bot   User
	// MaxWait caps a long poll, so tests never wait the full timeout the
	// client asked for. Default 2 s.
	MaxWait time.Duration

	srv        *httptest.Server
	mu         sync.Mutex
	notify     chan struct{}
	queue      []pending
	nextUpdate int64
	msgIDs     map[string]int64
	files      map[string]*File
	sent       []Sent
	blocked    map[int64]bool
	faults     []fault
	polling    chan struct{} // closed to end the current getUpdates
	business   map[string]*business
	webhook    string
	calls      map[string]int
}

// New starts a fake for a bot with the given token. Close it when done.
func New(token string) *Server {
	s := &Server{
		Token: token, Bot: User{ID: 7000001, FirstName: "Shop bot", Username: "shop_bot", IsBot: true},
		MaxWait: 2 * time.Second, notify: make(chan struct{}), nextUpdate: 100000,
		msgIDs: map[string]int64{}, files: map[string]*File{}, blocked: map[int64]bool{},
		business: map[string]*business{}, calls: map[string]int{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetToken changes the valid token (the owner revoked the old one).
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	s.Token = token
	s.mu.Unlock()
}

// Calls returns how many times a method was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Sent returns what the bot sent, in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Pending returns how many updates are not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Block makes a chat refuse the bot (the user blocked it): sends get 403.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	s.blocked[chatID] = true
	s.mu.Unlock()
}

// Fail makes the next call of method fail with an error response; a
// retryAfter > 0 adds parameters.retry_after (use code 429).
func (s *Server) Fail(method string, code int, desc string, retryAfter int) {
	s.mu.Lock()
	s.faults = append(s.faults, fault{method: method, code: code, desc: desc, retryAfter: retryAfter})
	s.mu.Unlock()
}

// Drop makes the next call of method lose its connection without an answer
// (a network drop mid-poll).
func (s *Server) Drop(method string) {
	s.mu.Lock()
	s.faults = append(s.faults, fault{method: method, drop: true})
	s.mu.Unlock()
}

// SetWebhook sets a webhook, which makes getUpdates fail with 409.
func (s *Server) SetWebhook(url string) {
	s.mu.Lock()
	s.webhook = url
	s.mu.Unlock()
}

// AddFile stores a file users can send; it returns its file_id.
func (s *Server) AddFile(name, mime string, data []byte) *File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addFileLocked(name, mime, data)
}

func (s *Server) addFileLocked(name, mime string, data []byte) *File {
	n := len(s.files) + 1
	f := &File{ID: fmt.Sprintf("FILE%04d-%s", n, strings.Repeat("x", 8)), UniqueID: fmt.Sprintf("U%04d", n),
		Path: fmt.Sprintf("documents/file_%d%s", n, ext(name, mime)), Name: name, MIME: mime, Data: data}
	s.files[f.ID] = f
	return f
}

func ext(name, mime string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	switch mime {
	case "image/jpeg":
		return ".jpg"
	case "audio/ogg":
		return ".oga"
	case "image/webp":
		return ".webp"
	}
	return ""
}

// push queues an update and wakes a waiting poller.
func (s *Server) pushLocked(kind string, payload any) int64 {
	b, _ := json.Marshal(payload)
	id := s.nextUpdate
	s.nextUpdate++
	raw := fmt.Appendf(nil, `{"update_id":%d,%q:%s}`, id, kind, b)
	s.queue = append(s.queue, pending{id: id, raw: raw})
	close(s.notify)
	s.notify = make(chan struct{})
	return id
}

// Expire makes a file's download fail with 404 while getFile still answers
// (a file_path is only guaranteed for an hour).
func (s *Server) Expire(f *File) {
	s.mu.Lock()
	f.gone = true
	s.mu.Unlock()
}

// AddRawUpdate queues an update whose body is given as raw JSON (without
// update_id), to test malformed input. It returns the update_id.
func (s *Server) AddRawUpdate(kind string, rawJSON string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushLocked(kind, json.RawMessage(rawJSON))
}

// Polling reports whether a getUpdates call is waiting for updates.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling != nil
}
