package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/backend/canned"
	"tidings/backend/inbox"
)

// agentNameKey is the setting holding the name {agent_name} becomes.
const agentNameKey = "writing.agent_name"

// CannedReplyView is a canned reply in the settings and the composer's
// picker; Fields lists the fields its text uses.
type CannedReplyView struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Body      string   `json:"body"`
	Fields    []string `json:"fields"`
	UpdatedAt string   `json:"updated_at,omitempty"`
}

// FillRequest says where a canned reply is inserted: the conversation
// answered (empty for a new message), the sending account, and the
// recipients typed so far (a new message's customer is found by them).
type FillRequest struct {
	CannedID       string   `json:"canned_id"`
	ConversationID string   `json:"conversation_id"`
	AccountID      string   `json:"account_id"`
	To             []string `json:"to"`
}

func cannedView(c inbox.CannedReply) CannedReplyView {
	v := CannedReplyView{ID: c.ID, Name: c.Name, Body: c.Body, Fields: canned.FieldsIn(c.Body)}
	if v.Fields == nil {
		v.Fields = []string{}
	}
	if !c.UpdatedAt.IsZero() {
		v.UpdatedAt = c.UpdatedAt.Format(time.RFC3339)
	}
	return v
}

// CannedReplies lists the canned replies by name.
func (a *Inbox) CannedReplies() ([]CannedReplyView, error) {
	list, err := a.ws.Store.CannedReplies(a.ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CannedReplyView, 0, len(list))
	for _, c := range list {
		out = append(out, cannedView(c))
	}
	return out, nil
}

// SaveCannedReply creates (empty ID) or changes a canned reply. A field
// the composer could never fill (a typo such as {frist_name}) is refused
// here, where it is written, with the fields there are.
func (a *Inbox) SaveCannedReply(v CannedReplyView) (CannedReplyView, error) {
	var unknown []string
	for _, f := range canned.FieldsIn(v.Body) {
		if !canned.Known(f) {
			unknown = append(unknown, "{"+f+"}")
		}
	}
	if len(unknown) > 0 {
		return CannedReplyView{}, fmt.Errorf("app: %s is no field; the fields are {%s}: %w",
			strings.Join(unknown, ", "), strings.Join(canned.Fields, "}, {"), inbox.ErrInvalid)
	}
	c := inbox.CannedReply{ID: v.ID, Name: v.Name, Body: v.Body}
	if err := a.ws.Store.SaveCannedReply(a.ctx, &c); err != nil {
		return CannedReplyView{}, err
	}
	return cannedView(c), nil
}

// DeleteCannedReply removes a canned reply.
func (a *Inbox) DeleteCannedReply(id string) error { return a.ws.Store.DeleteCannedReply(a.ctx, id) }

// CannedFields lists the fields a canned reply may use.
func (a *Inbox) CannedFields() []string { return canned.Fields }

// AgentName is the name {agent_name} becomes ("" when not set).
func (a *Inbox) AgentName() (string, error) { return a.ws.Store.Setting(a.ctx, agentNameKey) }

// SetAgentName sets the name {agent_name} becomes.
func (a *Inbox) SetAgentName(name string) error {
	name = strings.TrimSpace(name)
	if len(name) > 200 || strings.ContainsAny(name, "\n\r") {
		return fmt.Errorf("app: the name must be one line of at most 200 bytes: %w", inbox.ErrInvalid)
	}
	return a.ws.Store.SetSetting(a.ctx, agentNameKey, name)
}

// FillCannedReply fills a canned reply's fields from the customer, the
// conversation, the account and the agent's name. Fields without a value
// stay in the text and are listed, for the composer to show before sending.
func (a *Inbox) FillCannedReply(req FillRequest) (canned.Result, error) {
	c, err := a.ws.Store.CannedReply(a.ctx, req.CannedID)
	if err != nil {
		return canned.Result{}, err
	}
	values, err := a.fieldValues(req)
	if err != nil {
		return canned.Result{}, err
	}
	return canned.Fill(c.Body, values), nil
}

// fieldValues gathers what the fields of a canned reply can become.
func (a *Inbox) fieldValues(req FillRequest) (map[string]string, error) {
	values := map[string]string{}
	agent, err := a.AgentName()
	if err != nil {
		return nil, err
	}
	values[canned.AgentName] = agent
	var contact inbox.Contact
	haveContact := false
	if req.ConversationID != "" {
		conv, err := a.ws.Store.Conversation(a.ctx, req.ConversationID)
		if err != nil {
			return nil, err
		}
		values[canned.ConversationSubject] = conv.Subject
		if req.AccountID == "" {
			req.AccountID = conv.AccountID
		}
		if conv.ContactID != "" {
			if contact, err = a.ws.Store.Contact(a.ctx, conv.ContactID); err == nil {
				haveContact = true
			} else if !errors.Is(err, inbox.ErrNotFound) {
				return nil, err
			}
		}
	}
	if !haveContact {
		// A new message: the customer is whoever the first recipient is.
		for _, s := range req.To {
			addrs, err := parseAddrs("To", []string{s})
			if err != nil || len(addrs) == 0 {
				continue
			}
			values[canned.Email] = addrs[0].Address
			if c, err := a.ws.Store.ContactByIdentity(a.ctx, inbox.ChannelEmail, addrs[0].Address); err == nil {
				contact, haveContact = c, true
			} else if addrs[0].Name != "" {
				contact, haveContact = inbox.Contact{Name: addrs[0].Name}, true
			}
			break
		}
	}
	if haveContact {
		// The name the customer has here, else the one they gave on a
		// channel (a Telegram profile name); never an address.
		name := strings.TrimSpace(contact.Name)
		for _, id := range contact.Identities {
			if name == "" {
				name = strings.TrimSpace(id.Display)
			}
		}
		values[canned.Name] = name
		if first := (inbox.Contact{Name: name}).FirstName(); first != "" {
			values[canned.FirstName] = first
			values[canned.LastName] = strings.TrimSpace(strings.TrimPrefix(name, first))
		}
		for _, id := range contact.Identities {
			if id.Channel == inbox.ChannelEmail && values[canned.Email] == "" {
				values[canned.Email] = id.Address
			}
		}
	}
	if req.AccountID != "" {
		if acct, err := a.ws.Store.Account(a.ctx, req.AccountID); err == nil {
			values[canned.AccountName] = acct.Name
		}
	}
	return values, nil
}
