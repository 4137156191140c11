package app

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/store"
	"tidings/backend/syncer"
	"tidings/backend/threader"
	"tidings/backend/workspace"
)

// EventEmailSync carries each email sync's report (syncer.Report) or error.
const EventEmailSync = "email:sync"

// Email is bound to the window as window.go.app.Email: connecting mailboxes,
// keeping them in sync (IDLE, so new mail shows within seconds), and what the
// store knows of a message's origin. Replies go through Inbox.Send, the
// composer's one path to the outbox.
type Email struct {
	ws      *workspace.Workspace
	emit    Emitter
	secrets *secrets.Store
	sy      *syncer.Syncer
	ctx     context.Context
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
	wg      sync.WaitGroup
	// run overrides the loops' timing (tests).
	run *syncer.RunOptions
	// OnAccountAdded, when set, hands a new account to whoever runs the
	// sync loops (the window's Mail service) instead of Email's own loop.
	OnAccountAdded func(accountID string)
	// oauth is the OAuth2 sign-in under way (SignInAccount).
	oauth signIn
}

// NewEmail returns the bound service; nothing runs until Startup.
func NewEmail(ws *workspace.Workspace, emit Emitter, sec *secrets.Store, opts *syncer.Options) *Email {
	e := &Email{ws: ws, emit: emit, secrets: sec, ctx: context.Background(), cancels: map[string]context.CancelFunc{}}
	o := syncer.Options{}
	if opts != nil {
		o = *opts
	}
	o.Secrets = sec
	o.OnChange = func(string) { e.changed() }
	e.sy = syncer.New(ws.Store, &o)
	return e
}

func (e *Email) changed(ids ...string) {
	if e.emit != nil {
		e.emit.Emit(EventChanged, ids)
	}
}

// Startup starts one sync loop per email account; they end with ctx or on
// Shutdown.
func (e *Email) Startup(ctx context.Context) {
	e.ctx = ctx
	accts, err := e.ws.Store.Accounts(ctx)
	if err != nil {
		slog.Error("app: listing accounts", "err", err)
		return
	}
	for _, a := range accts {
		if a.Channel == inbox.ChannelEmail {
			e.start(a)
		}
	}
}

// start runs an account's loop unless it runs already.
func (e *Email) start(a inbox.Account) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.cancels[a.ID]; ok {
		return
	}
	ctx, cancel := context.WithCancel(e.ctx)
	e.cancels[a.ID] = cancel
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				slog.Error("app: email loop panicked", "account", a.Name, "panic", r)
			}
		}()
		opts := &syncer.RunOptions{OnSync: func(rep syncer.Report, err error) {
			if e.emit == nil {
				return
			}
			if err != nil {
				e.emit.Emit(EventEmailSync, map[string]any{"account": a.Name, "error": err.Error()})
				return
			}
			e.emit.Emit(EventEmailSync, rep)
		}}
		if e.run != nil {
			opts.Poll, opts.IdleMax = e.run.Poll, e.run.IdleMax
		}
		e.sy.Run(ctx, a, opts)
	}()
}

// Shutdown stops every loop and waits for them.
func (e *Email) Shutdown() {
	e.mu.Lock()
	for id, c := range e.cancels {
		c()
		delete(e.cancels, id)
	}
	e.mu.Unlock()
	e.wg.Wait()
}

// SuggestSettings guesses the servers for an address (known providers,
// DNS SRV records, MX), for the account form to fill in.
func (e *Email) SuggestSettings(address string) (email.Suggestion, error) {
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	return email.Suggest(ctx, address, nil)
}

// AccountAdded is the result of AddAccount.
type AccountAdded struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Address string       `json:"address"`
	Folders []string     `json:"folders"`
	Secrets string       `json:"secrets"`
	Config  email.Config `json:"settings"`
	// Notice, said once: no keyring answered and the password went to the
	// data directory's private file (this account started that file).
	Notice string `json:"notice,omitempty"`
}

// AddAccount tests the connection and saves the account (the password goes
// to the secret store), then starts syncing it. Errors say exactly what is
// wrong: name not found, refused, certificate, login, capability.
func (e *Email) AddAccount(form syncer.AccountForm, password string) (AccountAdded, error) {
	form.Password = password
	fileBefore := e.secrets.FileInUse()
	added, err := syncer.AddAccount(e.ctx, e.ws.Store, e.secrets, form, &syncer.AddOptions{Open: openInBrowser})
	if err != nil {
		return AccountAdded{}, err
	}
	return e.added(added, fileBefore), nil
}

// added starts syncing a new account and says what was saved. fileBefore
// is whether the secrets' fallback file was in use before the account was
// added: if this account started it, the user is told once.
func (e *Email) added(added syncer.Added, fileBefore bool) AccountAdded {
	notice := ""
	if !fileBefore && e.secrets.FileInUse() {
		notice = e.secrets.FallbackNotice()
	}
	if e.OnAccountAdded != nil {
		e.OnAccountAdded(added.Account.ID)
	} else {
		e.start(added.Account)
	}
	e.changed()
	a := added.Account
	return AccountAdded{ID: a.ID, Name: a.Name, Address: a.Address, Folders: added.Folders, Secrets: added.Secrets, Config: added.Config, Notice: notice}
}

// openInBrowser is replaced by main with the Wails runtime's BrowserOpenURL.
var openInBrowser = func(string) error {
	return fmt.Errorf("app: no browser to open the sign-in page: %w", inbox.ErrNotAvailable)
}

// SetBrowserOpener lets main open OAuth2 sign-in pages in the system browser.
func SetBrowserOpener(open func(url string) error) { openInBrowser = open }

// MessageOrigin is what the store knows of where an email came from.
type MessageOrigin struct {
	// Gone is true when the server no longer has the message anywhere.
	Gone bool `json:"gone"`
	// Folders lists where it lives or lived ("INBOX", "Archive (gone)").
	Folders []string `json:"folders"`
	// Warnings are what the parser repaired or guessed.
	Warnings []string `json:"warnings,omitempty"`
}

// Origin returns a message's folders, gone state and parse warnings.
func (e *Email) Origin(messageID string) (MessageOrigin, error) {
	var o MessageOrigin
	locs, err := e.ws.Store.MessageLocations(e.ctx, messageID)
	if err != nil {
		return o, err
	}
	for _, l := range locs {
		name := l.Folder
		if l.Gone {
			name += " (gone)"
		}
		o.Folders = append(o.Folders, name)
	}
	if o.Gone, err = e.ws.Store.MessageGone(e.ctx, messageID); err != nil {
		return o, err
	}
	o.Warnings, err = e.ws.Store.MessageWarnings(e.ctx, messageID)
	return o, err
}

// SplitMessage moves a wrongly threaded message into a conversation of its
// own and returns that conversation's ID.
func (e *Email) SplitMessage(messageID string) (string, error) {
	id, err := threader.New(e.ws.Store, nil).Split(e.ctx, messageID)
	if err == nil {
		e.changed()
	}
	return id, err
}

// MergeConversations moves every message, note and label of from into
// into, and returns the merge's ID for UndoMergeConversations.
func (e *Email) MergeConversations(into, from string) (string, error) {
	var id string
	th := threader.New(e.ws.Store, nil)
	err := e.ws.Store.Tx(e.ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = e.ws.Store.RecordConversationMergeTx(e.ctx, tx, into, from); err != nil {
			return err
		}
		return th.MergeTx(e.ctx, tx, into, from)
	})
	if err != nil {
		return "", err
	}
	e.changed(into, from)
	return id, nil
}

// UndoMergeConversations puts both conversations of a merge back exactly
// as they were (messages, notes, labels, statuses); it returns the ID of
// the conversation that was merged away and is back.
func (e *Email) UndoMergeConversations(mergeID string) (string, error) {
	m, err := e.ws.Store.UndoConversationMerge(e.ctx, mergeID)
	if err != nil {
		return "", err
	}
	e.changed(m.IntoID, m.FromID)
	return m.FromID, nil
}

// Merges lists the merges into a conversation that can still be undone,
// newest first (the timeline's Undo).
func (e *Email) Merges(conversationID string) ([]store.ConversationMerge, error) {
	return e.ws.Store.ConversationMerges(e.ctx, conversationID)
}
