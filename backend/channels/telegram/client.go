package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"tidings/backend/channels"
)

// DefaultBaseURL is the Bot API server.
const DefaultBaseURL = "https://api.telegram.org"

// client calls Bot API methods over plain net/http.
type client struct {
	base  string
	token string
	http  *http.Client
	debug io.Writer
}

// APIError is an error answer of the Bot API.
type APIError struct {
	Method      string
	Code        int
	Description string
	RetryAfter  time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram: %s: %d %s", e.Method, e.Code, e.Description)
}

func (c *client) url(method string) string { return c.base + "/bot" + c.token + "/" + method }

func (c *client) logf(format string, args ...any) {
	if c.debug != nil {
		fmt.Fprintf(c.debug, "telegram: "+format+"\n", args...)
	}
}

// call posts params as JSON to method and decodes the result into out.
func (c *client) call(ctx context.Context, method string, params any, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return channels.Permanent(method, fmt.Errorf("telegram: encode %s: %w", method, err), "report this bug")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(method), bytes.NewReader(body))
	if err != nil {
		return channels.Permanent(method, fmt.Errorf("telegram: %w", redact(err, c.token)), "check the account's API address")
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, method, out)
}

// part is a file for a multipart upload.
type part struct {
	field, name, contentType string
	data                     []byte
}

// callMultipart posts fields and one file as multipart/form-data; object
// fields (reply_parameters) travel as JSON-serialized strings, as the Bot
// API asks.
func (c *client) callMultipart(ctx context.Context, method string, fields map[string]string, file part, out any) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, err := w.CreateFormFile(file.field, file.name)
	if err != nil {
		return channels.Permanent(method, err, "report this bug")
	}
	fw.Write(file.data)
	w.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(method), &buf)
	if err != nil {
		return channels.Permanent(method, fmt.Errorf("telegram: %w", redact(err, c.token)), "check the account's API address")
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req, method, out)
}

func (c *client) do(req *http.Request, method string, out any) error {
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return req.Context().Err()
		}
		c.logf("%s: network error after %s", method, time.Since(start).Round(time.Millisecond))
		return channels.Temporary(method, fmt.Errorf("telegram: %s: %w", method, redact(err, c.token)))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	c.logf("%s: HTTP %d, %d bytes, %s", method, resp.StatusCode, len(b), time.Since(start).Round(time.Millisecond))
	if err != nil {
		if req.Context().Err() != nil {
			return req.Context().Err()
		}
		return channels.Temporary(method, fmt.Errorf("telegram: %s: reading the answer: %w", method, redact(err, c.token)))
	}
	var r apiResponse
	if err := json.Unmarshal(b, &r); err != nil {
		if resp.StatusCode >= 500 || resp.StatusCode == 0 {
			return channels.Temporary(method, fmt.Errorf("telegram: %s: HTTP %d", method, resp.StatusCode))
		}
		return channels.Temporary(method, fmt.Errorf("telegram: %s: answer is not Bot API JSON (HTTP %d)", method, resp.StatusCode))
	}
	if !r.OK {
		ae := &APIError{Method: method, Code: r.ErrorCode, Description: r.Description}
		if ae.Code == 0 {
			ae.Code = resp.StatusCode
		}
		if r.Parameters != nil && r.Parameters.RetryAfter > 0 {
			ae.RetryAfter = time.Duration(r.Parameters.RetryAfter) * time.Second
		}
		return classify(ae)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result, out); err != nil {
			return channels.Temporary(method, fmt.Errorf("telegram: %s: unexpected result: %w", method, err))
		}
	}
	return nil
}

// classify gives an API error its kind and what the owner should do.
func classify(e *APIError) error {
	sending := strings.HasPrefix(e.Method, "send")
	switch {
	case e.Code == 401:
		return channels.Permanent(e.Method, e, "the bot token was revoked or mistyped: get the current one from @BotFather (/mybots → API Token) and add the account again")
	case e.Code == 404 && !sending:
		return channels.Permanent(e.Method, e, "the bot token is malformed: copy it again from @BotFather")
	case e.Code == 409 && strings.Contains(e.Description, "webhook"):
		return channels.Permanent(e.Method, e, "the bot has a webhook set by another program; remove it (deleteWebhook) or give Tidings its own bot")
	case e.Code == 409:
		return &channels.Error{Kind: channels.KindTemporary, Op: e.Method, Err: e,
			Hint: "another program is reading this bot's messages (a second Tidings or a bot script); stop it, or give Tidings its own bot"}
	case e.Code == 429:
		return &channels.Error{Kind: channels.KindTemporary, Op: e.Method, Err: e, RetryAfter: e.RetryAfter,
			Hint: "Telegram asked to slow down; Tidings waits and retries"}
	case e.Code >= 500:
		return channels.Temporary(e.Method, e)
	case sending && e.Code == 403:
		hint := "the customer blocked the bot or deleted the chat; they must unblock it (or write again) before you can answer here"
		if !strings.Contains(e.Description, "blocked") {
			hint = "Telegram refused this message: " + e.Description
		}
		return channels.Rejected(e.Method, e, hint)
	case sending && strings.Contains(e.Description, "BUSINESS_CONNECTION"):
		return channels.Rejected(e.Method, e, "the Telegram Business connection is off: reconnect the bot in Telegram under Settings → Telegram Business → Chatbots")
	case sending && e.Code == 413:
		return channels.Rejected(e.Method, e, "the file is too large for Telegram bots (50 MB)")
	case sending && e.Code == 400:
		return channels.Rejected(e.Method, e, "Telegram refused this message: "+strings.TrimPrefix(e.Description, "Bad Request: "))
	}
	return channels.Temporary(e.Method, e)
}

// download fetches a file by its file_path.
func (c *client) download(ctx context.Context, path string, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/file/bot"+c.token+"/"+path, nil)
	if err != nil {
		return nil, channels.Permanent("download", redact(err, c.token), "check the account's API address")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, channels.Temporary("download", fmt.Errorf("telegram: download: %w", redact(err, c.token)))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var r apiResponse
		json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&r)
		ae := &APIError{Method: "download", Code: resp.StatusCode, Description: r.Description}
		if ae.Description == "" {
			ae.Description = http.StatusText(resp.StatusCode)
		}
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != 401 && resp.StatusCode != 429 {
			// The file itself is gone or refused; the account is fine.
			return nil, channels.Rejected("download", ae, "Telegram no longer serves this file: open it in Telegram")
		}
		return nil, classify(ae)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, channels.Temporary("download", fmt.Errorf("telegram: download: %w", redact(err, c.token)))
	}
	if int64(len(b)) > max {
		return nil, channels.Rejected("download", errors.New("telegram: file larger than the download limit"), "open it in Telegram")
	}
	return b, nil
}

// redactedError hides the token, which is part of every Bot API URL.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), token, "<token>"), err: err}
}
