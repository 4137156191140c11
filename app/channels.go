package app

import (
	"context"
	"fmt"
	"log/slog"

	"tidings/backend/channels"
	"tidings/backend/channels/connectors"
	"tidings/backend/identity"
	"tidings/backend/inbox"
	"tidings/backend/snippet"
	"tidings/backend/workspace"
)

// EventHealth carries an account's health line (channels.Health) whenever
// it changes.
const EventHealth = "channels:health"

// Channels is bound to the window as window.go.app.Channels: the messaging
// channels' loops and health, merge suggestions, the reply channel, chat
// replies and the website snippet.
type Channels struct {
	ws       *workspace.Workspace
	emit     Emitter
	secrets  channels.Secrets
	registry channels.Registry
	runner   *channels.Runner
	ctx      context.Context
}

// NewChannels returns the bound service. secrets keeps the bots' tokens;
// nothing runs until Startup.
func NewChannels(ws *workspace.Workspace, emit Emitter, secrets channels.Secrets) *Channels {
	c := &Channels{ws: ws, emit: emit, secrets: secrets, registry: connectors.Registry, ctx: context.Background()}
	c.runner = channels.NewRunner(channels.RunnerOptions{
		Registry: c.registry, Secrets: secrets,
		Sync: connectors.Round(ws.Store, func(ids []string) { c.changed(ids...) }),
		Report: func(h channels.Health) {
			switch {
			case h.LastError != "":
				ws.Store.SetAccountSync(context.Background(), h.AccountID, h.LastError+hintSuffix(h.Hint))
			case h.State == channels.StateConnected:
				ws.Store.SetAccountSync(context.Background(), h.AccountID, "")
			}
			if c.emit != nil {
				c.emit.Emit(EventHealth, h)
			}
		},
	})
	return c
}

func hintSuffix(h string) string {
	if h == "" {
		return ""
	}
	return " (" + h + ")"
}

func (c *Channels) changed(ids ...string) {
	if c.emit != nil {
		c.emit.Emit(EventChanged, ids)
	}
}

// Startup starts one supervised loop per chat account; they stop when ctx
// ends (the window closes) or on Shutdown.
func (c *Channels) Startup(ctx context.Context) {
	c.ctx = ctx
	accts, err := c.ws.Store.Accounts(ctx)
	if err != nil {
		slog.Error("app: listing accounts", "err", err)
		return
	}
	for _, a := range accts {
		if !connectors.Chat(a.Channel) || a.Demo() {
			continue
		}
		if err := channels.SettleUnknownSends(ctx, c.ws.Store, a.ID); err != nil {
			slog.Error("app: settling interrupted sends", "account", a.Name, "err", err)
		}
		c.runner.Start(ctx, a)
	}
}

// Reconnect (re)starts an account's loop: after the owner fixed what
// stopped it (a new token) or added the account.
func (c *Channels) Reconnect(accountID string) error {
	a, err := c.ws.Store.Account(c.ctx, accountID)
	if err != nil {
		return err
	}
	if !connectors.Chat(a.Channel) {
		return fmt.Errorf("app: %s accounts are synced by the mail syncer: %w", a.Channel, inbox.ErrInvalid)
	}
	c.runner.Stop(accountID)
	c.runner.Start(c.ctx, a)
	return nil
}

// Shutdown stops every loop and waits for them.
func (c *Channels) Shutdown() { c.runner.Shutdown() }

// Health lists every running account's health line.
func (c *Channels) Health() []channels.Health { return c.runner.Health() }

// SuggestionView is a merge suggestion as the window shows it.
type SuggestionView struct {
	ID     string      `json:"id"`
	Reason string      `json:"reason"`
	Detail string      `json:"detail"`
	A      ContactCard `json:"a"`
	B      ContactCard `json:"b"`
}

// ContactCard is a contact with its identities, briefly.
type ContactCard struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Identities []string `json:"identities"`
}

func card(c inbox.Contact) ContactCard {
	out := ContactCard{ID: c.ID, Name: c.DisplayName(), Identities: []string{}}
	for _, i := range c.Identities {
		out.Identities = append(out.Identities, string(i.Channel)+": "+i.Address)
	}
	return out
}

// Suggestions lists the open merge suggestions, looking for new ones first.
func (c *Channels) Suggestions() ([]SuggestionView, error) {
	if _, err := identity.Refresh(c.ctx, c.ws.Store); err != nil {
		return nil, err
	}
	gs, err := identity.Suggestions(c.ctx, c.ws.Store)
	if err != nil {
		return nil, err
	}
	out := make([]SuggestionView, 0, len(gs))
	for _, g := range gs {
		out = append(out, SuggestionView{ID: g.ID, Reason: string(g.Reason), Detail: g.Detail, A: card(g.A), B: card(g.B)})
	}
	return out, nil
}

// AcceptMerge merges a suggestion's two contacts into keepContactID ("" keeps
// the older) and returns the merge's ID, for UndoMerge.
func (c *Channels) AcceptMerge(suggestionID, keepContactID string) (string, error) {
	id, err := identity.Accept(c.ctx, c.ws.Store, suggestionID, keepContactID)
	if err == nil {
		c.changed()
	}
	return id, err
}

// UndoMerge reverses a merge and returns the restored contact's ID.
func (c *Channels) UndoMerge(mergeID string) (string, error) {
	id, err := identity.Undo(c.ctx, c.ws.Store, mergeID)
	if err == nil {
		c.changed()
	}
	return id, err
}

// DismissSuggestion hides a suggestion for good.
func (c *Channels) DismissSuggestion(id string) error {
	return identity.Dismiss(c.ctx, c.ws.Store, id)
}

// DeliveryView is the fate of a sent chat message.
type DeliveryView struct {
	MessageID string `json:"message_id"`
	State     string `json:"state"`
	Error     string `json:"error"`
}

// SendChatReply answers in a chat conversation (Telegram): the message is
// stored first, then sent quoting quoteMessageID when given. A refusal for
// this message (the customer blocked the bot) comes back as a failed
// delivery with the reason, not as an error.
func (c *Channels) SendChatReply(conversationID, text, quoteMessageID string) (DeliveryView, error) {
	m, err := connectors.SendReply(c.ctx, c.ws.Store, c.secrets, channels.Reply{ConversationID: conversationID, Text: text, QuoteMessageID: quoteMessageID})
	if m.ID == "" {
		return DeliveryView{}, err
	}
	c.changed(conversationID)
	d, derr := c.ws.Store.Delivery(c.ctx, m.ID)
	if derr != nil {
		return DeliveryView{}, derr
	}
	v := DeliveryView{MessageID: m.ID, State: string(d.State), Error: d.Error}
	if err != nil && !channels.IsRejected(err) {
		return v, err
	}
	return v, nil
}

// Deliveries returns the fate of a conversation's sent chat messages by
// message ID.
func (c *Channels) Deliveries(conversationID string) (map[string]DeliveryView, error) {
	ds, err := c.ws.Store.Deliveries(c.ctx, conversationID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]DeliveryView, len(ds))
	for id, d := range ds {
		out[id] = DeliveryView{MessageID: id, State: string(d.State), Error: d.Error}
	}
	return out, nil
}

// SnippetDefaults fills the snippet's options from the connected accounts:
// the first Telegram bot and the first email address.
func (c *Channels) SnippetDefaults() (snippet.Options, error) {
	accts, err := c.ws.Store.Accounts(c.ctx)
	if err != nil {
		return snippet.Options{}, err
	}
	return snippet.Defaults(accts), nil
}

// ContactSnippet generates the website's "contact us" block and its preview.
func (c *Channels) ContactSnippet(o snippet.Options) (snippet.Snippet, error) {
	return snippet.Generate(o)
}

// Customer returns a contact with every conversation across channels and
// all their messages in one timeline, for the contact panel.
func (c *Channels) Customer(contactID string) (workspace.CustomerView, error) {
	return c.ws.Customer(c.ctx, contactID)
}
