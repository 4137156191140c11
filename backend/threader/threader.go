// Package threader files messages into conversations and applies the inbox
// rules that come with a new message.
//
// Threading follows JWZ (https://www.jwz.org/doc/threading.html) on the
// RFC 5322 section 3.6.4 identification fields, adapted to a store that sees
// messages one at a time and in any order: a message joins the conversation
// of its parent (In-Reply-To), else of the nearest ancestor it names in
// References, else of a message that names it or shares an ancestor with it
// (a reply that arrived first, a sibling under a root never seen: this is
// how Apple Mail's truncated References still thread). Only then a bounded
// subject rule applies, and only within one customer: two customers who
// both write "Question" get two conversations, and auto mail is never
// glued by subject. Every message records why it joined (ThreadReason).
//
// Ingest is idempotent: a message's ID is derived from its account and
// content hash, so the same message synced twice, or found in two folders,
// is stored once, while two different messages that share a Message-ID are
// both kept.
package threader

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// Options tune a Threader. A nil *Options means defaults.
type Options struct {
	// ReplyWindow bounds the subject rule for a subject with a reply marker
	// ("Re: Order 12"): the conversation must have a message this close in
	// time. Default 30 days.
	ReplyWindow time.Duration
	// SameSubjectWindow bounds it for a bare repeated subject (a customer
	// writing again without replying). Default 3 days.
	SameSubjectWindow time.Duration
}

// Threader files parsed messages into the store.
type Threader struct {
	st   *store.Store
	opts Options
}

// New returns a Threader over st. It does no I/O.
func New(st *store.Store, opts *Options) *Threader {
	t := &Threader{st: st}
	if opts != nil {
		t.opts = *opts
	}
	if t.opts.ReplyWindow == 0 {
		t.opts.ReplyWindow = 30 * 24 * time.Hour
	}
	if t.opts.SameSubjectWindow == 0 {
		t.opts.SameSubjectWindow = 3 * 24 * time.Hour
	}
	return t
}

// Input is one parsed message to file.
type Input struct {
	// Account is the account the message belongs to; nil for a message
	// imported without one.
	Account *inbox.Account
	// Own lists the business's addresses besides Account.Address (aliases,
	// shared mailboxes). A message from one of them is direction out.
	Own []string
	// Sent is set for a message found in a Sent folder: direction out.
	Sent bool
	// Message is the parsed message (email.Parse). Ingest sets its ID,
	// AccountID, ConversationID, Direction and ThreadReason. ReceivedAt
	// should be the server's arrival time (IMAP INTERNALDATE) when known.
	Message *inbox.Message
	// Warnings are the parser's notes, stored beside the message.
	Warnings []string
	// ConversationID files the message into this conversation (a reply
	// written in it) instead of threading it.
	ConversationID string
}

// Result says where a message went.
type Result struct {
	// MessageID is the stored message's ID; Seq its row number.
	MessageID string
	Seq       int64
	// ConversationID is the conversation it belongs to.
	ConversationID string
	// Created is false when the message was already stored (a duplicate).
	Created bool
	// NewConversation is set when a conversation was started for it.
	NewConversation bool
	// Reason is why it joined the conversation.
	Reason inbox.ThreadReason
	// Reopened is set when the message opened a closed, pending or snoozed
	// conversation again.
	Reopened bool
	// Completed is set when the message had been stored from its header
	// alone and now has its body.
	Completed bool
	// StoredWhole is set when a header alone matched a message stored
	// with its body: nothing was recorded, as only the body can tell
	// whether it is that message or another with the same header.
	StoredWhole bool
}

// MessageIDFor returns the stable ID a message gets in an account: the same
// bytes in two folders, or synced twice, get one ID.
func MessageIDFor(accountID, contentHash string) string {
	return inbox.DerivedID(inbox.PrefixMessage, "email", accountID, contentHash)
}

// Ingest files a message in its own transaction.
func (t *Threader) Ingest(ctx context.Context, in Input) (Result, error) {
	var res Result
	err := t.st.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = t.IngestTx(ctx, tx, in)
		return err
	})
	return res, err
}

// IngestTx files a message inside the caller's transaction: find or create
// the contact, pick or start the conversation, store the message with its
// references, and reopen the conversation when a customer wrote.
func (t *Threader) IngestTx(ctx context.Context, tx *sql.Tx, in Input) (Result, error) {
	m := in.Message
	if m == nil {
		return Result{}, fmt.Errorf("threader: no message: %w", inbox.ErrInvalid)
	}
	key := m.ContentHash
	if m.BodyPending {
		if m.HeaderHash == "" {
			return Result{}, fmt.Errorf("threader: a message stored from its header alone needs a header hash (email.ParseHead): %w", inbox.ErrInvalid)
		}
		key = "h:" + m.HeaderHash
	} else if m.ContentHash == "" {
		return Result{}, fmt.Errorf("threader: message has no content hash (parse it with email.Parse): %w", inbox.ErrInvalid)
	}
	accountID := ""
	if in.Account != nil {
		accountID = in.Account.ID
	}
	m.AccountID = accountID
	m.Channel = inbox.ChannelEmail
	m.ID = MessageIDFor(accountID, key)
	found, ok, err := t.st.FindMessageTx(ctx, tx, accountID, m.ID, m.ContentHash, m.HeaderHash, m.BodyPending)
	if err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	}
	if ok && !found.Pending && !m.BodyPending && found.ID != m.ID {
		// Found by its header hash or content hash, not by its ID.
		twin, err := t.partialTwin(ctx, tx, found, m)
		if err != nil {
			return Result{}, err
		}
		if twin {
			m.HeaderHash = "" // found by its content alone from now on
			return t.IngestTx(ctx, tx, in)
		}
	}
	if ok {
		m.ID, m.ConversationID = found.ID, found.ConversationID
		res := Result{MessageID: found.ID, Seq: found.Seq, ConversationID: found.ConversationID, Reason: m.ThreadReason}
		if found.Pending && !m.BodyPending {
			// The body of a message listed from its header, or of a
			// twin of it.
			return t.fill(ctx, tx, found, in, false)
		}
		res.StoredWhole = m.BodyPending && !found.Pending
		return res, nil
	}
	if m.Date.IsZero() {
		m.Date = m.ReceivedAt
	}
	own := ownSet(in.Account, in.Own)
	m.Direction = inbox.In
	if in.Sent || own[strings.ToLower(m.From.Address)] {
		m.Direction = inbox.Out
	}
	contactID, err := t.contactFor(ctx, tx, m, own)
	if err != nil {
		return Result{}, err
	}

	res := Result{MessageID: m.ID, Created: true}
	convID, reason := in.ConversationID, inbox.ReasonReplyTo
	if convID == "" {
		convID, reason, err = t.pick(ctx, tx, accountID, contactID, m)
		if err != nil {
			return Result{}, err
		}
	}
	if convID == "" {
		c := inbox.Conversation{AccountID: accountID, ContactID: contactID, Channel: inbox.ChannelEmail,
			Subject: CleanSubject(m.Subject), Status: inbox.StatusOpen}
		if m.Direction == inbox.Out {
			c.Status = inbox.StatusPending // we wrote last: waiting on the customer
		}
		if err := t.st.CreateConversationTx(ctx, tx, &c); err != nil {
			return Result{}, fmt.Errorf("threader: %w", err)
		}
		convID, reason, res.NewConversation = c.ID, inbox.ReasonNew, true
	} else if m.Direction == inbox.In && !m.Auto {
		reopened, err := t.applyInbound(ctx, tx, convID, m)
		if err != nil {
			return Result{}, err
		}
		res.Reopened = reopened
	}
	m.ConversationID, m.ThreadReason = convID, reason
	seq, err := t.st.InsertMessageTx(ctx, tx, m)
	if err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	}
	refs := append([]string(nil), m.References...)
	if m.InReplyTo != "" {
		refs = append(refs, m.InReplyTo)
	}
	if err := t.st.AddMessageRefsTx(ctx, tx, seq, refs); err != nil {
		return Result{}, err
	}
	if err := t.st.SetMessageWarningsTx(ctx, tx, seq, in.Warnings); err != nil {
		return Result{}, err
	}
	res.Seq, res.ConversationID, res.Reason = seq, convID, reason
	return res, nil
}

// appendNew appends the items that are not empty and not in list yet.
func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if it != "" && !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// ownSet is the business's addresses, lower case.
func ownSet(a *inbox.Account, extra []string) map[string]bool {
	own := map[string]bool{}
	if a != nil && a.Address != "" {
		own[strings.ToLower(strings.TrimSpace(a.Address))] = true
	}
	for _, e := range extra {
		own[strings.ToLower(strings.TrimSpace(e))] = true
	}
	return own
}

// contactFor finds or creates the customer of a message: the sender of an
// incoming message, the first recipient who is not us of an outgoing one.
// A message with no usable address has no contact.
func (t *Threader) contactFor(ctx context.Context, tx *sql.Tx, m *inbox.Message, own map[string]bool) (string, error) {
	var who inbox.Address
	if m.Direction == inbox.In {
		who = m.From
	} else {
		for _, l := range [][]inbox.Address{m.To, m.Cc, m.Bcc} {
			for _, a := range l {
				if !own[strings.ToLower(a.Address)] && who.Address == "" {
					who = a
				}
			}
		}
	}
	if _, err := inbox.NormalizeAddress(inbox.ChannelEmail, who.Address); err != nil {
		return "", nil
	}
	id, err := t.st.ContactForIdentityTx(ctx, tx, inbox.ChannelEmail, who.Address, who.Name)
	if err != nil {
		return "", fmt.Errorf("threader: contact for %s: %w", who.Address, err)
	}
	return id, nil
}

// pick chooses the conversation for m, or "" for a new one.
func (t *Threader) pick(ctx context.Context, tx *sql.Tx, accountID, contactID string, m *inbox.Message) (string, inbox.ThreadReason, error) {
	// 1-2. The parent, then the nearest ancestor named in References.
	// Each name once: a reply names its parent in both fields, and a
	// one-value IN is an index seek where a longer one builds a table.
	names := appendNew(nil, m.InReplyTo)
	names = appendNew(names, m.References...)
	if len(names) > 0 {
		found, err := t.st.ConversationsByMessageIDTx(ctx, tx, accountID, names)
		if err != nil {
			return "", "", fmt.Errorf("threader: %w", err)
		}
		if c, ok := found[m.InReplyTo]; ok && m.InReplyTo != "" {
			return c, inbox.ReasonReplyTo, nil
		}
		for i := len(m.References) - 1; i >= 0; i-- {
			if c, ok := found[m.References[i]]; ok {
				return c, inbox.ReasonReferences, nil
			}
		}
	}
	// 3-4. A message naming this one (its reply synced first) or naming a
	// common ancestor (a sibling).
	keys := appendNew(nil, m.MessageID)
	keys = appendNew(keys, names...)
	if len(keys) > 0 {
		convs, err := t.st.ConversationsReferencingTx(ctx, tx, accountID, keys)
		if err != nil {
			return "", "", fmt.Errorf("threader: %w", err)
		}
		if len(convs) > 0 {
			return convs[0], inbox.ReasonReferences, nil
		}
	}
	// 5. Subject, within one customer, never for auto mail.
	if m.Auto || contactID == "" {
		return "", "", nil
	}
	key := inbox.SubjectKey(m.Subject)
	if key == "" {
		return "", "", nil
	}
	window := t.opts.SameSubjectWindow
	if IsReplySubject(m.Subject) {
		window = t.opts.ReplyWindow
	}
	cands, err := t.st.SubjectCandidatesTx(ctx, tx, accountID, contactID, key, m.Date.Add(-window), m.Date.Add(window))
	if err != nil {
		return "", "", fmt.Errorf("threader: %w", err)
	}
	for _, c := range cands {
		if c.Human {
			return c.ID, inbox.ReasonSubject, nil
		}
	}
	return "", "", nil
}

// applyInbound opens the conversation again when a customer's message is
// newer than what it holds (inbox.Conversation.ApplyInbound). Older mail
// caught up by a sync leaves the status alone.
func (t *Threader) applyInbound(ctx context.Context, tx *sql.Tx, convID string, m *inbox.Message) (bool, error) {
	// Most mail a sync files is older than its conversation's newest, or
	// joins an open one: decided from two columns.
	status, last, err := t.st.ConversationStateTx(ctx, tx, convID)
	if err != nil {
		return false, fmt.Errorf("threader: %w", err)
	}
	if m.Date.Before(last) || status == inbox.StatusOpen {
		return false, nil
	}
	c, err := t.st.ConversationTx(ctx, tx, convID)
	if err != nil {
		return false, fmt.Errorf("threader: %w", err)
	}
	if m.Date.Before(c.LastMessageAt) {
		return false, nil
	}
	old := c.Status
	if !c.ApplyInbound(m.Date) {
		return false, nil
	}
	detail := fmt.Sprintf("%s → %s (new message from the customer)", old, c.Status)
	if err := t.st.SetConversationStatusTx(ctx, tx, &c, detail); err != nil {
		return false, fmt.Errorf("threader: %w", err)
	}
	return true, nil
}
