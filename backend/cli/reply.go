package cli

import (
	"context"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/connectors"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

func init() {
	register(&Command{
		Name:    "reply",
		Args:    "ID --body-file FILE [--all] [--cc ADDR,...] [--attach FILE]... [--no-signature] [--queue] [--json]",
		Summary: "Reply to a conversation on its channel, signed as the window signs it.",
		Run:     runReply,
	})
}

// replyResult is `reply --json`.
type replyResult struct {
	Conversation string   `json:"conversation"`
	Message      string   `json:"message"`
	Outbox       string   `json:"outbox,omitempty"`
	MessageID    string   `json:"message_id,omitempty"`
	To           []string `json:"to"`
	Cc           []string `json:"cc,omitempty"`
	State        string   `json:"state"`
	Error        string   `json:"error,omitempty"`
	// Signed says the reply carries the account's signature.
	Signed bool `json:"signed"`
}

func runReply(env *Env, args []string) error {
	fs := newFlags("reply")
	bodyFile := fs.String("body-file", "", "file with the reply text (- for standard input)")
	all := fs.Bool("all", false, "reply to all: the other recipients go in Cc")
	cc := fs.String("cc", "", "more recipients, comma-separated")
	queue := fs.Bool("queue", false, "only queue the reply; the next 'tidings sync' sends it")
	var attach fileList
	fs.Var(&attach, "attach", "attach a file (repeat for more; email only)")
	noSig := fs.Bool("no-signature", false, "send without the account's signature")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *bodyFile == "" {
		return usagef("reply: --body-file is required")
	}
	body, err := readBody(env, "reply", *bodyFile)
	if err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	conv, err := ws.Store.Conversation(env.Ctx, pos[0])
	if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	if conv.AccountID == "" {
		return fmt.Errorf("reply: conversation %s has no account to answer from (it was imported): %w", conv.ID, inbox.ErrInvalid)
	}
	acct, err := ws.Store.Account(env.Ctx, conv.AccountID)
	if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	// The signature, by the window composer's rules: the account's own
	// (Settings → Signatures), under the text, once. The outbox then adds
	// none of its own.
	text, signed := string(body), false
	if !*noSig {
		sig, err := ws.Signature(env.Ctx, acct)
		if err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		text = inbox.Signed(text, sig, acct.Channel)
		signed = inbox.SignatureBlock(sig, acct.Channel) != ""
	}
	var res replyResult
	if acct.Channel == inbox.ChannelEmail {
		var files []inbox.Attachment
		for _, p := range attach {
			data, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("reply: attaching %s: %w", p, err)
			}
			ct := mime.TypeByExtension(filepath.Ext(p))
			if ct == "" {
				ct = "application/octet-stream"
			}
			files = append(files, inbox.Attachment{Name: filepath.Base(p), ContentType: ct, Data: data, Size: int64(len(data))})
		}
		res, err = replyEmail(env, workspace.Unsigned(acct), conv, text, *all, *cc, *queue, files)
	} else {
		if len(attach) > 0 {
			return usagef("reply: --attach is for email conversations")
		}
		res, err = replyChat(env, acct, conv, text)
	}
	if err != nil {
		return err
	}
	res.Signed = signed
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	to := strings.Join(res.To, ", ")
	if len(res.Cc) > 0 {
		to += " (cc " + strings.Join(res.Cc, ", ") + ")"
	}
	switch res.State {
	case string(inbox.OutboxSent):
		fmt.Fprintf(env.Stdout, "Sent to %s.\n", to)
	case string(inbox.OutboxFailed):
		fmt.Fprintf(env.Stdout, "Not sent to %s: %s. It stays in the outbox (%s) to edit and retry: 'tidings outbox retry %s [--body-file FILE]'.\n", to, res.Error, res.Outbox, res.Outbox)
	default:
		msg := "it is sent by the next 'tidings sync'"
		if res.Error != "" {
			msg = "sending failed for now (" + res.Error + "); it is retried by the next 'tidings sync'"
		}
		fmt.Fprintf(env.Stdout, "Queued reply to %s: %s.\n", to, msg)
	}
	return nil
}

// replyEmail answers the conversation's latest message: queued in the
// outbox (with its copy in the conversation) before any network I/O, then
// sent at once unless --queue.
func replyEmail(env *Env, acct inbox.Account, conv inbox.Conversation, body string, all bool, cc string, queueOnly bool, files []inbox.Attachment) (replyResult, error) {
	ws, _ := env.Workspace()
	msgs, err := ws.Store.Messages(env.Ctx, conv.ID)
	if err != nil {
		return replyResult{}, err
	}
	if len(msgs) == 0 {
		return replyResult{}, fmt.Errorf("reply: conversation %s has no message to answer: %w", conv.ID, inbox.ErrInvalid)
	}
	parent := msgs[len(msgs)-1]
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Direction == inbox.In && !msgs[i].Auto {
			parent = msgs[i]
			break
		}
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return replyResult{}, err
	}
	d := email.Reply(parent, inbox.Address{Address: cfg.Address}, cfg.Own(), all, body)
	d.Attachments = files
	for _, a := range strings.Split(cc, ",") {
		if a = strings.TrimSpace(a); a != "" {
			if _, err := inbox.NormalizeAddress(inbox.ChannelEmail, a); err != nil {
				return replyResult{}, usagef("reply: --cc %q is not an email address", a)
			}
			d.Cc = append(d.Cc, inbox.Address{Address: a})
		}
	}
	if len(d.To) == 0 || d.To[0].Address == "" {
		return replyResult{}, fmt.Errorf("reply: the message answered has no sender address to reply to: %w", inbox.ErrInvalid)
	}
	opts := syncOptions(env)
	opts.Secrets = openSecrets(env)
	sy := syncer.New(ws.Store, opts)
	item, m, err := sy.Queue(env.Ctx, acct, conv.ID, d)
	if err != nil {
		return replyResult{}, fmt.Errorf("reply: %w", err)
	}
	res := replyResult{Conversation: item.ConversationID, Message: m.ID, Outbox: item.ID, MessageID: item.MessageID, State: string(item.State)}
	for _, a := range d.To {
		res.To = append(res.To, a.Address)
	}
	for _, a := range d.Cc {
		res.Cc = append(res.Cc, a.Address)
	}
	if queueOnly {
		return res, nil
	}
	ctx, cancel := context.WithTimeout(env.Ctx, 2*time.Minute)
	defer cancel()
	sess, _, err := sy.Connect(ctx, acct)
	if err != nil {
		res.Error = err.Error()
		return res, nil
	}
	defer sess.Close()
	folders, err := sess.Folders(ctx)
	if err == nil {
		_, _, err = sy.SendOutbox(ctx, sess, acct, cfg, email.PickFolders(folders, nil))
	}
	if got, gerr := ws.Store.OutboxItem(env.Ctx, item.ID); gerr == nil {
		res.State, res.Error = string(got.State), got.LastError
	}
	if err != nil && res.Error == "" {
		res.Error = err.Error()
	}
	return res, nil
}

// replyChat sends through the channel's connector (Telegram, ...).
func replyChat(env *Env, acct inbox.Account, conv inbox.Conversation, body string) (replyResult, error) {
	ws, _ := env.Workspace()
	conn, err := connectors.Registry.Open(acct, openSecrets(env))
	if err != nil {
		return replyResult{}, fmt.Errorf("reply: %s", channels.Describe(err))
	}
	defer conn.Close()
	if err := conn.Connect(env.Ctx); err != nil {
		return replyResult{}, fmt.Errorf("reply: %s", channels.Describe(err))
	}
	m, err := channels.Deliver(env.Ctx, ws.Store, acct, conn, channels.Reply{ConversationID: conv.ID, Text: body})
	res := replyResult{Conversation: conv.ID, Message: m.ID, State: string(inbox.OutboxSent)}
	if err != nil {
		if m.ID == "" {
			return replyResult{}, fmt.Errorf("reply: %s", channels.Describe(err))
		}
		res.State, res.Error = string(inbox.OutboxFailed), channels.Describe(err)
	}
	return res, nil
}

// fileList is a repeatable file flag.
type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(v string) error { *f = append(*f, v); return nil }

// readAllLimited reads at most 10 MB of standard input.
func readAllLimited(r interface{ Read([]byte) (int, error) }) ([]byte, error) {
	if r == nil {
		return nil, usagef("reply: nothing on standard input")
	}
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for b.Len() < 10<<20 {
		n, err := r.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return []byte(b.String()), nil
}
