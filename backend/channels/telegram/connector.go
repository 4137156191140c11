// Package telegram connects a Telegram bot to Tidings through the Bot API
// (https://core.telegram.org/bots/api) over plain net/http against an
// injectable base URL. It receives with getUpdates long polling (no webhook,
// no server), confirming updates only through the offset saved with the
// messages (see channels.Apply), turns text, photos, documents, voice and
// stickers into messages and attachments (getFile), and replies with
// sendMessage, sendPhoto, sendDocument and sendVoice quoting the customer's
// message (reply_parameters). With Telegram Business the bot also receives
// the owner's own chats (business_connection, business_message) and answers
// as the owner (business_connection_id).
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/inbox"
)

// Limits of the Bot API.
const (
	MaxTextLength   = 4096
	MaxCaption      = 1024
	MaxUploadSize   = 50 << 20
	MaxDownloadSize = 20 << 20
)

// Cursor scopes saved in sync_cursors.
const (
	// ScopeUpdates holds the next getUpdates offset.
	ScopeUpdates = "updates"
	// scopeBusiness prefixes a Business connection's state.
	scopeBusiness = "business:"
)

// allowedUpdates are the update types Tidings asks for; anything else is
// never delivered, so the offset never passes an update it ignored.
var allowedUpdates = []string{"message", "edited_message", "business_connection", "business_message", "edited_business_message"}

// Options configure a Connector. Only Token is required.
type Options struct {
	Token string
	// AccountID derives stable message IDs.
	AccountID string
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	HTTP    *http.Client
	// PollTimeout is the getUpdates long-poll timeout; 0 polls without
	// waiting. New's default is 25 s.
	PollTimeout time.Duration
	// Limit caps updates per batch (1-100, default 100).
	Limit int
	// Debug receives one line per request; it never shows the token.
	Debug io.Writer
}

// Connector is a Telegram bot account. It does no I/O until Connect.
type Connector struct {
	opt Options
	c   *client
	bot wireUser
	// sleep waits out a rate limit; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Connector.
func New(opt Options) *Connector {
	if opt.BaseURL == "" {
		opt.BaseURL = DefaultBaseURL
	}
	opt.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: opt.PollTimeout + 60*time.Second}
	}
	if opt.Limit <= 0 || opt.Limit > 100 {
		opt.Limit = 100
	}
	return &Connector{opt: opt, c: &client{base: opt.BaseURL, token: opt.Token, http: opt.HTTP, debug: opt.Debug}, sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Config is what a Telegram account keeps in its settings (never the token).
type Config struct {
	BotID       int64  `json:"bot_id,omitempty"`
	BotUsername string `json:"bot_username,omitempty"`
	// APIURL replaces the Bot API server (a local Bot API server, tests).
	APIURL string `json:"api_url,omitempty"`
}

// TokenKey names the secret holding an account's bot token.
func TokenKey(accountID string) string { return "account/" + accountID + "/bot-token" }

// Factory builds the connector of a Telegram account, reading its token
// from secrets. It is the registry entry for inbox.ChannelTelegram.
func Factory(acct inbox.Account, secrets channels.Secrets) (channels.Connector, error) {
	var cfg Config
	if len(acct.Config) > 0 {
		if err := json.Unmarshal(acct.Config, &cfg); err != nil {
			return nil, channels.Permanent("open", fmt.Errorf("telegram: account settings: %w", err), "add the account again")
		}
	}
	if secrets == nil {
		return nil, channels.Permanent("open", errors.New("telegram: no secret store"), "report this bug")
	}
	token, err := secrets.Get(TokenKey(acct.ID))
	if err != nil {
		return nil, channels.Permanent("open", fmt.Errorf("telegram: bot token of %q: %w", acct.Name, err),
			"the bot token is missing from the keyring: add the account again with its token from @BotFather")
	}
	return New(Options{Token: token, AccountID: acct.ID, BaseURL: cfg.APIURL, PollTimeout: 25 * time.Second}), nil
}

// Capabilities of a Telegram bot.
func (c *Connector) Capabilities() channels.Capabilities {
	return channels.Capabilities{Attachments: true, Quotes: true, Edits: true, MaxTextLength: MaxTextLength,
		MaxUploadSize: MaxUploadSize, MaxDownloadSize: MaxDownloadSize}
}

// Connect checks the token with getMe.
func (c *Connector) Connect(ctx context.Context) error {
	if strings.TrimSpace(c.opt.Token) == "" || strings.ContainsAny(c.opt.Token, " /\t\r\n") || !strings.Contains(c.opt.Token, ":") {
		return channels.Permanent("connect", errors.New("telegram: that is not a bot token (it looks like 123456789:AA...)"),
			"copy the token again from @BotFather")
	}
	return c.c.call(ctx, "getMe", struct{}{}, &c.bot)
}

// Bot returns the bot's user ID and username, once connected.
func (c *Connector) Bot() (int64, string) { return c.bot.ID, c.bot.Username }

// Close does nothing: the Bot API holds no connection state.
func (c *Connector) Close() error { return nil }

// Receive long-polls getUpdates from the saved offset. The offset it sends
// confirms only what an earlier batch stored; the batch's new offset covers
// exactly the updates returned, stored or kept as rejects.
func (c *Connector) Receive(ctx context.Context, cursors map[string]string) (channels.Batch, error) {
	var offset int64
	if v := cursors[ScopeUpdates]; v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return channels.Batch{}, channels.Permanent("getUpdates", fmt.Errorf("telegram: saved offset %q is damaged", v), "report this bug")
		}
		offset = n
	}
	params := map[string]any{"offset": offset, "limit": c.opt.Limit, "timeout": int(c.opt.PollTimeout / time.Second), "allowed_updates": allowedUpdates}
	var raws []json.RawMessage
	if err := c.c.call(ctx, "getUpdates", params, &raws); err != nil {
		return channels.Batch{}, err
	}
	b := channels.Batch{Cursors: map[string]string{}}
	next := offset
	for _, raw := range raws {
		var u wireUpdate
		err := json.Unmarshal(raw, &u)
		if u.UpdateID >= next {
			next = u.UpdateID + 1
		}
		key := strconv.FormatInt(u.UpdateID, 10)
		if err != nil || u.UpdateID == 0 {
			reason := "telegram: update is not valid JSON"
			if err == nil {
				reason = "telegram: update without update_id"
			} else {
				reason += ": " + err.Error()
			}
			b.Rejects = append(b.Rejects, channels.Reject{Key: "update:" + key, Reason: reason, Raw: raw})
			continue
		}
		switch {
		case u.BusinessConnection != nil:
			bc := u.BusinessConnection
			state, _ := json.Marshal(map[string]any{"owner_id": bc.User.ID, "owner": displayName(bc.User.FirstName, bc.User.LastName, bc.User.Username), "enabled": bc.IsEnabled})
			b.Cursors[scopeBusiness+bc.ID] = string(state)
		case u.Message != nil, u.BusinessMessage != nil, u.EditedMessage != nil, u.EditedBusiness != nil:
			m, biz, edit := u.Message, "", false
			switch {
			case u.BusinessMessage != nil:
				m, biz = u.BusinessMessage, u.BusinessMessage.BusinessConnectionID
			case u.EditedMessage != nil:
				m, edit = u.EditedMessage, true
			case u.EditedBusiness != nil:
				m, biz, edit = u.EditedBusiness, u.EditedBusiness.BusinessConnectionID, true
			}
			in, files, err := translate(c.opt.AccountID, raw, m, biz)
			if err != nil {
				b.Rejects = append(b.Rejects, channels.Reject{Key: "update:" + key, Reason: err.Error(), Raw: raw})
				continue
			}
			in.Edit = edit
			if edit {
				// An edit changes the text; the files were fetched with
				// the original.
				files, in.Message.Attachments = nil, nil
			}
			if err := c.fetch(ctx, &in, files); err != nil {
				return channels.Batch{}, err
			}
			b.Messages = append(b.Messages, in)
		default:
			b.Rejects = append(b.Rejects, channels.Reject{Key: "update:" + key, Reason: "telegram: update of a kind Tidings does not read", Raw: raw})
		}
	}
	if next != offset {
		b.Cursors[ScopeUpdates] = strconv.FormatInt(next, 10)
	}
	return b, nil
}

// fetch downloads the attachments of a message. A file the Bot API will
// not hand out (over 20 MB) stays listed, unfetched, with the reason on
// the message; a network failure fails the whole batch, to be retried.
func (c *Connector) fetch(ctx context.Context, in *channels.Inbound, files []fileRef) error {
	var problems []string
	for i, f := range files {
		a := &in.Message.Attachments[i]
		if f.size > MaxDownloadSize {
			problems = append(problems, fmt.Sprintf("%s is %d MB, over the 20 MB a bot may download: open it in Telegram", a.Name, f.size>>20))
			continue
		}
		var wf wireFile
		if err := c.c.call(ctx, "getFile", map[string]any{"file_id": f.id}, &wf); err != nil {
			var ae *APIError
			if errors.As(err, &ae) && ae.Code == 400 {
				problems = append(problems, fmt.Sprintf("%s could not be fetched (%s): open it in Telegram", a.Name, ae.Description))
				continue
			}
			return err
		}
		data, err := c.c.download(ctx, wf.FilePath, MaxDownloadSize)
		if err != nil {
			if channels.IsRejected(err) {
				problems = append(problems, fmt.Sprintf("%s could not be downloaded: %v", a.Name, err))
				continue
			}
			return err
		}
		a.Data, a.Size, a.Fetched = data, int64(len(data)), true
	}
	if len(problems) > 0 {
		in.Message.ParseError = strings.Join(problems, "; ")
	}
	return nil
}
