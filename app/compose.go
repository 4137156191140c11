package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/connectors"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// Compose modes.
const (
	ModeReply    = "reply"
	ModeReplyAll = "reply_all"
	ModeForward  = "forward"
	ModeNew      = "new"
)

// ComposeView is what the composer shows before the user writes: from which
// account, to whom (To, Cc and Bcc always visible), the subject, and the
// signature that will be added.
type ComposeView struct {
	Mode           string   `json:"mode"`
	ConversationID string   `json:"conversation_id"`
	Channel        string   `json:"channel"`
	AccountID      string   `json:"account_id"`
	AccountName    string   `json:"account_name"`
	From           string   `json:"from"`
	To             []string `json:"to"`
	Cc             []string `json:"cc"`
	Bcc            []string `json:"bcc"`
	Subject        string   `json:"subject"`
	Body           string   `json:"body"`
	// Signature is the account's plain-text signature ("" when none); the
	// composer writes it into the body, under "-- " for email.
	Signature string `json:"signature"`
	// Recipients is false for chats: the answer goes to the chat itself.
	Recipients bool `json:"recipients"`
	// Attachments says whether the channel carries files, MaxUploadSize
	// how large each may be (for email: all of them together).
	Attachments   bool  `json:"attachments"`
	MaxUploadSize int64 `json:"max_upload_size"`
	// Accounts lists the accounts a new message can be sent from.
	Accounts []ComposeAccount `json:"accounts,omitempty"`
}

// ComposeAccount is an account the composer can send from.
type ComposeAccount struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

// SendRequest is the composer's content when the user presses Send.
type SendRequest struct {
	Mode           string   `json:"mode"`
	ConversationID string   `json:"conversation_id"`
	AccountID      string   `json:"account_id"`
	To             []string `json:"to"`
	Cc             []string `json:"cc"`
	Bcc            []string `json:"bcc"`
	Subject        string   `json:"subject"`
	Body           string   `json:"body"`
	// DraftKey names the draft whose files go with the message; the draft
	// (text and files) is gone once the message is stored for sending.
	DraftKey string `json:"draft_key,omitempty"`
}

// SendView says where a sent message stands right after Send.
type SendView struct {
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	OutboxID       string `json:"outbox_id,omitempty"`
	State          string `json:"state"`
	Error          string `json:"error,omitempty"`
}

// OutboxView is the fate of one outgoing message: queued, sending, sent or
// failed and why.
type OutboxView struct {
	OutboxID string `json:"outbox_id,omitempty"`
	State    string `json:"state"`
	Error    string `json:"error,omitempty"`
	Attempts int    `json:"attempts,omitempty"`
}

// errDemo refuses to send from the demo inbox.
var errDemo = fmt.Errorf("app: the demo inbox does not send messages; connect an account to answer for real: %w", inbox.ErrNotAvailable)

func (a *Inbox) secretStore() *secrets.Store { return secrets.Open(a.ws.Dir, nil) }

// ComposeDefaults prepares a reply, reply to all, forward or new message.
func (a *Inbox) ComposeDefaults(conversationID, mode string) (ComposeView, error) {
	v := ComposeView{Mode: mode, ConversationID: conversationID, To: []string{}, Cc: []string{}, Bcc: []string{}, Recipients: true}
	switch mode {
	case ModeReply, ModeReplyAll, ModeForward, ModeNew:
	default:
		return v, fmt.Errorf("app: unknown compose mode %q (want reply, reply_all, forward or new): %w", mode, inbox.ErrInvalid)
	}
	if mode == ModeNew {
		acct, err := a.firstEmailAccount()
		if err != nil {
			return v, err
		}
		return a.newMessage(v, acct)
	}
	conv, err := a.ws.Store.Conversation(a.ctx, conversationID)
	if err != nil {
		return v, err
	}
	v.Channel = string(conv.Channel)
	if conv.AccountID == "" {
		return v, fmt.Errorf("app: this conversation has no account to answer from (it was imported): %w", inbox.ErrInvalid)
	}
	acct, err := a.ws.Store.Account(a.ctx, conv.AccountID)
	if err != nil {
		return v, err
	}
	if v, err = a.fillAccount(v, acct); err != nil {
		return v, err
	}
	msgs, err := a.ws.Store.Messages(a.ctx, conv.ID)
	if err != nil || len(msgs) == 0 {
		return v, fmt.Errorf("app: conversation %s has no message to answer: %w", conv.ID, inbox.ErrInvalid)
	}
	parent := answered(msgs)
	if conv.Channel != inbox.ChannelEmail {
		if mode != ModeReply {
			return v, fmt.Errorf("app: %s conversations can only be answered in the chat: %w", conv.Channel, inbox.ErrNotAvailable)
		}
		v.Recipients = false
		v.To = []string{addrText(parent.From)}
		return v, nil
	}
	if mode == ModeForward {
		v.Subject = forwardSubject(parent.Subject)
		v.Body = forwardBody(parent)
		return v, nil
	}
	cfg, _ := email.ParseConfig(acct.Config)
	d := email.Reply(parent, inbox.Address{Address: v.From}, cfg.Own(), mode == ModeReplyAll, "")
	v.To, v.Cc, v.Subject = addrTexts(d.To), addrTexts(d.Cc), d.Subject
	return v, nil
}

func (a *Inbox) fillAccount(v ComposeView, acct inbox.Account) (ComposeView, error) {
	v.AccountID, v.AccountName, v.From = acct.ID, acct.Name, acct.Address
	if v.Channel == "" {
		v.Channel = string(acct.Channel)
	}
	if acct.Channel == inbox.ChannelEmail && !acct.Demo() {
		cfg, err := email.ParseConfig(acct.Config)
		if err != nil {
			return v, err
		}
		if cfg.Address != "" {
			v.From = cfg.Address
		}
	}
	sig, err := a.signatureFor(acct)
	if err != nil {
		return v, err
	}
	v.Signature = sig
	caps := a.capabilities(acct)
	v.Attachments, v.MaxUploadSize = caps.Attachments, caps.MaxUploadSize
	return v, nil
}

func (a *Inbox) firstEmailAccount() (inbox.Account, error) {
	accts, err := a.ws.Store.Accounts(a.ctx)
	if err != nil {
		return inbox.Account{}, err
	}
	for _, acct := range accts {
		if acct.Channel == inbox.ChannelEmail {
			return acct, nil
		}
	}
	return inbox.Account{}, fmt.Errorf("app: connect an email account to write a new message: %w", inbox.ErrNotAvailable)
}

// answered is the message a reply answers: the newest from the customer
// that is not an auto-reply, else the newest.
func answered(msgs []inbox.Message) inbox.Message {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Direction == inbox.In && !msgs[i].Auto {
			return msgs[i]
		}
	}
	return msgs[len(msgs)-1]
}

func forwardSubject(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToLower(s), "fwd:") || strings.HasPrefix(strings.ToLower(s), "fw:") {
		return s
	}
	return "Fwd: " + s
}

func forwardBody(m inbox.Message) string {
	var b strings.Builder
	b.WriteString("\n\n---------- Forwarded message ---------\n")
	fmt.Fprintf(&b, "From: %s\n", addrText(m.From))
	fmt.Fprintf(&b, "Date: %s\n", m.Date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Subject: %s\n", m.Subject)
	if len(m.To) > 0 {
		fmt.Fprintf(&b, "To: %s\n", strings.Join(addrTexts(m.To), ", "))
	}
	b.WriteString("\n")
	b.WriteString(m.Text)
	return b.String()
}

func addrText(a inbox.Address) string { return a.String() }

func addrTexts(l []inbox.Address) []string {
	out := make([]string, 0, len(l))
	for _, a := range l {
		out = append(out, a.String())
	}
	return out
}

// parseAddrs reads the composer's recipient fields ("Name <a@b>" or a@b).
func parseAddrs(field string, in []string) ([]inbox.Address, error) {
	var out []inbox.Address
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		addr := inbox.Address{Address: s}
		if i := strings.LastIndex(s, "<"); i >= 0 && strings.HasSuffix(s, ">") {
			addr = inbox.Address{Name: strings.Trim(strings.TrimSpace(s[:i]), `"`), Address: s[i+1 : len(s)-1]}
		}
		n, err := inbox.NormalizeAddress(inbox.ChannelEmail, addr.Address)
		if err != nil {
			return nil, fmt.Errorf("app: %s: %q is not an email address: %w", field, s, inbox.ErrInvalid)
		}
		addr.Address = n
		out = append(out, addr)
	}
	return out, nil
}

// recipients reads the composer's To, Cc and Bcc; at least one is needed.
func recipients(req SendRequest) (to, cc, bcc []inbox.Address, err error) {
	if to, err = parseAddrs("To", req.To); err != nil {
		return
	}
	if cc, err = parseAddrs("Cc", req.Cc); err != nil {
		return
	}
	if bcc, err = parseAddrs("Bcc", req.Bcc); err != nil {
		return
	}
	if len(to)+len(cc)+len(bcc) == 0 {
		err = fmt.Errorf("app: add at least one recipient: %w", inbox.ErrInvalid)
	}
	return
}

// Send sends what the composer holds. An email goes through the outbox: it is
// written there (with its copy in the conversation) before any network I/O
// and then sent in the background, its state reported by Outbox and an
// "inbox:changed" event; a chat answer is delivered at once. Nothing is ever
// reported sent that was not.
func (a *Inbox) Send(req SendRequest) (SendView, error) {
	body, files, err := a.composed(req)
	if err != nil {
		return SendView{}, err
	}
	var acct inbox.Account
	var conv inbox.Conversation
	if req.Mode == ModeNew || req.ConversationID == "" {
		if req.AccountID != "" {
			acct, err = a.ws.Store.Account(a.ctx, req.AccountID)
		} else {
			acct, err = a.firstEmailAccount()
		}
	} else {
		if conv, err = a.ws.Store.Conversation(a.ctx, req.ConversationID); err == nil {
			if conv.AccountID == "" {
				return SendView{}, fmt.Errorf("app: this conversation has no account to answer from (it was imported): %w", inbox.ErrInvalid)
			}
			acct, err = a.ws.Store.Account(a.ctx, conv.AccountID)
		}
	}
	if err != nil {
		return SendView{}, err
	}
	if acct.Demo() {
		return SendView{}, errDemo
	}
	if err := a.checkFiles(acct, files); err != nil {
		return SendView{}, err
	}
	if acct.Channel != inbox.ChannelEmail {
		v, err := a.sendChat(conv.ID, body, attachments(files))
		if err == nil {
			a.forgetDraft(req.DraftKey)
		}
		return v, err
	}
	to, cc, bcc, err := recipients(req)
	if err != nil {
		return SendView{}, err
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return SendView{}, err
	}
	d := email.Draft{From: inbox.Address{Address: cfg.Address}, Subject: strings.TrimSpace(req.Subject), Text: body, Attachments: attachments(files)}
	convID := ""
	if conv.ID != "" && (req.Mode == ModeReply || req.Mode == ModeReplyAll) {
		msgs, err := a.ws.Store.Messages(a.ctx, conv.ID)
		if err != nil {
			return SendView{}, err
		}
		if len(msgs) > 0 {
			r := email.Reply(answered(msgs), d.From, cfg.Own(), req.Mode == ModeReplyAll, body)
			d.InReplyTo, d.References = r.InReplyTo, r.References
			if d.Subject == "" {
				d.Subject = r.Subject
			}
		}
		convID = conv.ID
	}
	d.To, d.Cc, d.Bcc = to, cc, bcc
	sy := syncer.New(a.ws.Store, &syncer.Options{Secrets: a.secretStore()})
	item, m, err := sy.Queue(a.ctx, workspace.Unsigned(acct), convID, d)
	if err != nil {
		return SendView{}, err
	}
	a.forgetDraft(req.DraftKey)
	a.changed(item.ConversationID)
	go a.deliver(sy, acct, item.ConversationID)
	return SendView{ConversationID: item.ConversationID, MessageID: m.MessageID, OutboxID: item.ID, State: string(item.State)}, nil
}

// deliver sends an account's due outbox in the background and reports the
// change; a failure stays on the outbox item, where the window shows it.
func (a *Inbox) deliver(sy *syncer.Syncer, acct inbox.Account, convID string) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("app: outbox delivery panicked", "account", acct.Name, "panic", r)
		}
		a.changed(convID)
	}()
	ctx, cancel := context.WithTimeout(a.ctx, 2*time.Minute)
	defer cancel()
	sess, cfg, err := sy.Connect(ctx, acct)
	if err != nil {
		a.noteOutboxError(acct.ID, err)
		return
	}
	defer sess.Close()
	folders, err := sess.Folders(ctx)
	if err == nil {
		_, _, err = sy.SendOutbox(ctx, sess, acct, cfg, email.PickFolders(folders, cfg.Folders))
	}
	if err != nil {
		a.noteOutboxError(acct.ID, err)
	}
}

// noteOutboxError records why queued mail could not go out yet.
func (a *Inbox) noteOutboxError(accountID string, err error) {
	items, lerr := a.ws.Store.Outbox(context.WithoutCancel(a.ctx), accountID)
	if lerr != nil {
		return
	}
	for _, it := range items {
		if it.State == inbox.OutboxQueued && it.LastError == "" {
			it.LastError = err.Error()
			a.ws.Store.UpdateOutbox(context.WithoutCancel(a.ctx), it)
		}
	}
	slog.Warn("app: outbox not sent yet", "account", accountID, "err", err)
}

func (a *Inbox) sendChat(convID, body string, files []inbox.Attachment) (SendView, error) {
	m, err := connectors.SendReply(a.ctx, a.ws.Store, a.secretStore(), channels.Reply{ConversationID: convID, Text: body, Attachments: files})
	if m.ID == "" {
		if err == nil {
			err = fmt.Errorf("app: the message was not stored")
		}
		return SendView{}, fmt.Errorf("app: %s", channels.Describe(err))
	}
	a.changed(convID)
	v := SendView{ConversationID: convID, MessageID: m.ID, State: string(inbox.OutboxSent)}
	if d, derr := a.ws.Store.Delivery(a.ctx, m.ID); derr == nil {
		v.State, v.Error = string(d.State), d.Error
	}
	if err != nil {
		v.State, v.Error = string(inbox.OutboxFailed), channels.Describe(err)
	}
	return v, nil
}

// Outbox returns the state of a conversation's outgoing messages: email by
// RFC 5322 Message-ID (the message's message_id), chat by message ID.
func (a *Inbox) Outbox(conversationID string) (map[string]OutboxView, error) {
	conv, err := a.ws.Store.Conversation(a.ctx, conversationID)
	if err != nil {
		return nil, err
	}
	out := map[string]OutboxView{}
	if conv.AccountID != "" {
		items, err := a.ws.Store.Outbox(a.ctx, conv.AccountID)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.ConversationID == conversationID {
				out[it.MessageID] = OutboxView{OutboxID: it.ID, State: string(it.State), Error: it.LastError, Attempts: it.Attempts}
			}
		}
	}
	ds, err := a.ws.Store.Deliveries(a.ctx, conversationID)
	if err != nil {
		return nil, err
	}
	for id, d := range ds {
		out[id] = OutboxView{State: string(d.State), Error: d.Error}
	}
	return out, nil
}

// RetrySend puts a failed email back in the outbox as it is and tries it
// now, unless it turns out to have gone out after all (then the error says
// so and it is shown sent).
func (a *Inbox) RetrySend(outboxID string) error {
	it, err := a.ws.Store.OutboxItem(a.ctx, outboxID)
	if err != nil {
		return err
	}
	acct, err := a.ws.Store.Account(a.ctx, it.AccountID)
	if err != nil {
		return err
	}
	_, err = a.resend(acct, outboxID, nil)
	return err
}

// composed is what the composer holds to send: the text without trailing
// blanks and the draft's files. Nothing at all is refused.
func (a *Inbox) composed(req SendRequest) (string, []inbox.DraftAttachment, error) {
	body := strings.TrimRight(req.Body, " \n\t")
	var files []inbox.DraftAttachment
	if req.DraftKey != "" {
		k, err := draftKey(req.DraftKey)
		if err != nil {
			return "", nil, err
		}
		if files, err = a.ws.Store.DraftAttachments(a.ctx, k, true); err != nil {
			return "", nil, err
		}
	}
	if strings.TrimSpace(body) == "" && len(files) == 0 {
		return "", nil, fmt.Errorf("app: the message is empty: %w", inbox.ErrInvalid)
	}
	return body, files, nil
}
