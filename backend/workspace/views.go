package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// IdentityView is one identity of a contact, as scripts and the window see it.
type IdentityView struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
	Display string `json:"display,omitempty"`
}

// ContactView is a contact with its identities.
type ContactView struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Identities []IdentityView `json:"identities"`
}

// ConversationView is one row of `tidings conversations --json`.
type ConversationView struct {
	ID            string      `json:"id"`
	Subject       string      `json:"subject"`
	Status        string      `json:"status"`
	SnoozedUntil  string      `json:"snoozed_until,omitempty"`
	Channel       string      `json:"channel"`
	Contact       ContactView `json:"contact"`
	MessageCount  int         `json:"message_count"`
	UnreadCount   int         `json:"unread_count"`
	LastMessageAt string      `json:"last_message_at"`
	Preview       string      `json:"preview"`
	Labels        []string    `json:"labels"`
}

// AttachmentView describes an attachment without its data.
type AttachmentView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	Inline      bool   `json:"inline,omitempty"`
	// NotDownloaded is set for an attachment left on the server (larger
	// than the download limit): fetch it before opening.
	NotDownloaded bool `json:"not_downloaded,omitempty"`
}

// MessageView is one message of `tidings show ID --json`.
type MessageView struct {
	ID           string           `json:"id"`
	Direction    string           `json:"direction"`
	Channel      string           `json:"channel"`
	From         string           `json:"from"`
	FromName     string           `json:"from_name,omitempty"`
	To           []string         `json:"to"`
	Cc           []string         `json:"cc,omitempty"`
	Date         string           `json:"date"`
	Subject      string           `json:"subject"`
	Text         string           `json:"text"`
	HasHTML      bool             `json:"has_html,omitempty"`
	MessageID    string           `json:"message_id"`
	Auto         bool             `json:"auto"`
	Read         bool             `json:"read"`
	Flagged      bool             `json:"flagged"`
	ThreadReason string           `json:"thread_reason,omitempty"`
	ParseError   string           `json:"parse_error,omitempty"`
	Attachments  []AttachmentView `json:"attachments"`
	// BodyPending is set while only the message's header is here: its body
	// is still being downloaded (Text is empty until then).
	BodyPending bool `json:"body_pending,omitempty"`
	// BodyGone is set with BodyPending when the server no longer has the
	// message: its body was never downloaded and will not come.
	BodyGone bool `json:"body_gone,omitempty"`
}

// NoteView is a private note.
type NoteView struct {
	ID        string `json:"id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
}

// EventView is a timeline event (status change, label, merge).
type EventView struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
	At     string `json:"at"`
}

// ThreadView is `tidings show ID --json`: a conversation with its messages.
type ThreadView struct {
	ID           string        `json:"id"`
	Subject      string        `json:"subject"`
	Status       string        `json:"status"`
	SnoozedUntil string        `json:"snoozed_until,omitempty"`
	Channel      string        `json:"channel"`
	Contact      ContactView   `json:"contact"`
	Labels       []string      `json:"labels"`
	Messages     []MessageView `json:"messages"`
	Notes        []NoteView    `json:"notes"`
	Events       []EventView   `json:"events"`
}

// ListOptions selects conversations for `tidings conversations`.
type ListOptions struct {
	Status string `json:"status"`
	Label  string `json:"label"`
	// Query is a search query; its matches become the list.
	Query string `json:"query"`
	Limit int    `json:"limit"`
	// After continues a page after this conversation ID.
	After string `json:"after"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func contactView(c inbox.Contact) ContactView {
	v := ContactView{ID: c.ID, Name: c.DisplayName(), Identities: []IdentityView{}}
	if c.ID == "" {
		v.Name = ""
	}
	for _, i := range c.Identities {
		v.Identities = append(v.Identities, IdentityView{Channel: string(i.Channel), Address: i.Address, Display: i.Display})
	}
	return v
}

func conversationView(s inbox.Summary) ConversationView {
	labels := s.Labels
	if labels == nil {
		labels = []string{}
	}
	return ConversationView{
		ID: s.ID, Subject: s.Subject, Status: string(s.Status), SnoozedUntil: rfc3339(s.SnoozedUntil),
		Channel: string(s.Channel), Contact: contactView(s.Contact), MessageCount: s.MessageCount,
		UnreadCount: s.UnreadCount, LastMessageAt: rfc3339(s.LastMessageAt), Preview: s.Preview, Labels: labels,
	}
}

func addrList(as []inbox.Address) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, a.String())
	}
	return out
}

// MessageViewOf turns a stored message into its view.
func MessageViewOf(m inbox.Message) MessageView {
	v := MessageView{
		ID: m.ID, Direction: string(m.Direction), Channel: string(m.Channel), From: m.From.Address, FromName: m.From.Name,
		To: addrList(m.To), Date: rfc3339(m.Date), Subject: m.Subject, Text: m.Text,
		HasHTML: m.HTML != "", MessageID: m.MessageID, Auto: m.Auto, Read: m.Read, Flagged: m.Flagged, ThreadReason: string(m.ThreadReason),
		ParseError: m.ParseError, Attachments: []AttachmentView{}, BodyPending: m.BodyPending,
		BodyGone: m.BodyGone,
	}
	if len(m.Cc) > 0 {
		v.Cc = addrList(m.Cc)
	}
	for _, a := range m.Attachments {
		v.Attachments = append(v.Attachments, AttachmentView{ID: a.ID, Name: a.Name, Size: a.Size, ContentType: a.ContentType, Inline: a.Inline,
			NotDownloaded: !a.Fetched})
	}
	return v
}

// Searcher turns a query into the conversations it matches. The search
// package provides it; until one is set, a query is refused.
type Searcher func(ctx context.Context, st *store.Store, query string, limit int) ([]string, error)

// SearchConversations is the hook used by Conversations for --query.
var SearchConversations Searcher

// Conversations lists conversations, newest first.
func (w *Workspace) Conversations(ctx context.Context, o ListOptions) ([]ConversationView, error) {
	f := store.ListFilter{Label: o.Label, Limit: o.Limit}
	if o.Status != "" && o.Status != "all" {
		st, err := inbox.ParseStatus(o.Status)
		if err != nil {
			return nil, err
		}
		f.Status = st
	}
	if o.After != "" {
		c, err := w.Store.Conversation(ctx, o.After)
		if err != nil {
			return nil, err
		}
		f.AfterTime, f.AfterID = c.LastMessageAt, c.ID
	}
	if q := strings.TrimSpace(o.Query); q != "" {
		if SearchConversations == nil {
			return nil, fmt.Errorf("workspace: search is %w", inbox.ErrNotAvailable)
		}
		ids, err := SearchConversations(ctx, w.Store, q, 0)
		if err != nil {
			return nil, err
		}
		f.IDs = ids
		if f.IDs == nil {
			f.IDs = []string{}
		}
	}
	rows, err := w.Store.Conversations(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]ConversationView, 0, len(rows))
	for _, r := range rows {
		out = append(out, conversationView(r))
	}
	return out, nil
}

// Thread returns a conversation with its messages, notes and events.
func (w *Workspace) Thread(ctx context.Context, id string) (ThreadView, error) {
	c, err := w.Store.Conversation(ctx, id)
	if err != nil {
		return ThreadView{}, err
	}
	v := ThreadView{ID: c.ID, Subject: c.Subject, Status: string(c.Status), SnoozedUntil: rfc3339(c.SnoozedUntil),
		Channel: string(c.Channel), Labels: c.Labels, Messages: []MessageView{}, Notes: []NoteView{}, Events: []EventView{}}
	if v.Labels == nil {
		v.Labels = []string{}
	}
	if c.ContactID != "" {
		ct, err := w.Store.Contact(ctx, c.ContactID)
		if err != nil {
			return v, err
		}
		v.Contact = contactView(ct)
	} else {
		v.Contact = ContactView{Identities: []IdentityView{}}
	}
	msgs, err := w.Store.Messages(ctx, id)
	if err != nil {
		return v, err
	}
	for _, m := range msgs {
		v.Messages = append(v.Messages, MessageViewOf(m))
	}
	notes, err := w.Store.Notes(ctx, id, "")
	if err != nil {
		return v, err
	}
	for _, n := range notes {
		v.Notes = append(v.Notes, NoteView{ID: n.ID, Body: n.Body, CreatedAt: rfc3339(n.CreatedAt)})
	}
	evs, err := w.Store.Events(ctx, id)
	if err != nil {
		return v, err
	}
	for _, e := range evs {
		v.Events = append(v.Events, EventView{Kind: e.Kind, Detail: e.Detail, At: rfc3339(e.At)})
	}
	return v, nil
}
