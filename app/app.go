// Package app is the thin layer the window binds to: Wails v2 bound structs
// whose methods return (T, error), which the frontend sees as promises that
// reject on error, and events sent through the Emitter interface so the code
// that sends them runs headless in tests.
package app

import (
	"context"
	"time"

	"tidings/backend/demo"
	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

// Event names sent to the frontend.
const (
	// EventChanged says conversations changed; the payload lists their IDs
	// (empty: reload everything).
	EventChanged = "inbox:changed"
)

// Emitter sends events to the window. The Wails runtime implements it in
// main; tests use a recorder.
type Emitter interface {
	Emit(name string, data ...any)
}

// Inbox is bound to the window as window.go.app.Inbox.
type Inbox struct {
	ws   *workspace.Workspace
	ctx  context.Context
	emit Emitter
	// files is the file chooser (nil: the native one, see filedialog.go).
	files FileDialog
}

// New returns the bound service over an open workspace.
func New(ws *workspace.Workspace, emit Emitter) *Inbox {
	return &Inbox{ws: ws, emit: emit, ctx: context.Background()}
}

// Startup is called by Wails with the window's context.
func (a *Inbox) Startup(ctx context.Context) {
	a.ctx = ctx
	go a.runWaker(ctx, wakeInterval)
}

func (a *Inbox) changed(ids ...string) {
	if a.emit != nil {
		a.emit.Emit(EventChanged, ids)
	}
}

// Overview returns the sidebar: counts per status, labels, accounts.
func (a *Inbox) Overview() (workspace.Overview, error) { return a.ws.Overview(a.ctx) }

// Conversations lists conversations for a view.
func (a *Inbox) Conversations(o workspace.ListOptions) ([]workspace.ConversationView, error) {
	return a.ws.Conversations(a.ctx, o)
}

// Thread returns one conversation with its messages.
func (a *Inbox) Thread(id string) (workspace.ThreadView, error) { return a.ws.Thread(a.ctx, id) }

// SetStatus changes a conversation's status; until is RFC 3339 and only used
// for "snoozed".
func (a *Inbox) SetStatus(id, status, until string) error {
	st, err := inbox.ParseStatus(status)
	if err != nil {
		return err
	}
	var t time.Time
	if until != "" {
		if t, err = time.Parse(time.RFC3339, until); err != nil {
			return err
		}
	}
	if err := a.ws.Store.SetStatus(a.ctx, id, st, t); err != nil {
		return err
	}
	a.changed(id)
	return nil
}

// MarkRead marks a conversation read or unread.
func (a *Inbox) MarkRead(id string, read bool) error {
	if err := a.ws.Store.MarkRead(a.ctx, id, read); err != nil {
		return err
	}
	a.changed(id)
	return nil
}

// AddLabel puts a label on a conversation.
func (a *Inbox) AddLabel(id, name string) error {
	if err := a.ws.Store.AddLabel(a.ctx, id, name); err != nil {
		return err
	}
	a.changed(id)
	return nil
}

// RemoveLabel takes a label off a conversation.
func (a *Inbox) RemoveLabel(id, name string) error {
	if err := a.ws.Store.RemoveLabel(a.ctx, id, name); err != nil {
		return err
	}
	a.changed(id)
	return nil
}

// AddNote adds a private note to a conversation.
func (a *Inbox) AddNote(id, body string) error {
	if err := a.ws.Store.AddNote(a.ctx, &inbox.Note{ConversationID: id, Body: body}); err != nil {
		return err
	}
	a.changed(id)
	return nil
}

// LoadDemo fills an empty workspace with the demo shop's inbox.
func (a *Inbox) LoadDemo() (demo.Result, error) {
	res, err := demo.Seed(a.ctx, a.ws.Store, time.Now())
	if err == nil {
		a.changed()
	}
	return res, err
}
