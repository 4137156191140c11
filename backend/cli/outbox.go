package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

func init() {
	register(&Command{
		Name:    "outbox",
		Args:    "[--account NAME] [--state STATE] [--json] | retry ID [--body-file FILE] [--json]",
		Summary: "List outgoing email (queued, sending, sent, failed and why), or retry a failed one, as it is or with a new text.",
		Run:     runOutbox,
	})
}

// outboxEntry is one row of `outbox --json`.
type outboxEntry struct {
	ID           string   `json:"id"`
	Account      string   `json:"account"`
	Conversation string   `json:"conversation"`
	MessageID    string   `json:"message_id"`
	State        string   `json:"state"`
	Attempts     int      `json:"attempts"`
	Error        string   `json:"error,omitempty"`
	To           []string `json:"to"`
	Subject      string   `json:"subject"`
	CreatedAt    string   `json:"created_at"`
	SentAt       string   `json:"sent_at,omitempty"`
}

// outboxRetryResult is `outbox retry --json`.
type outboxRetryResult struct {
	// Outbox is the entry that is sent now: the same ID for a retry as it
	// was, a new one for an edit (Replaced names the failed one).
	Outbox       string   `json:"outbox"`
	Replaced     string   `json:"replaced,omitempty"`
	Conversation string   `json:"conversation"`
	MessageID    string   `json:"message_id"`
	To           []string `json:"to"`
	State        string   `json:"state"`
	Error        string   `json:"error,omitempty"`
	// AlreadySent: the failed message's copy was found in Sent; nothing
	// was sent again.
	AlreadySent bool `json:"already_sent,omitempty"`
}

func runOutbox(env *Env, args []string) error {
	if len(args) > 0 && args[0] == "retry" {
		return runOutboxRetry(env, args[1:])
	}
	fs := newFlags("outbox")
	account := fs.String("account", "", "only this account (name or ID)")
	state := fs.String("state", "", "only entries in this state: queued, sending, sent or failed")
	asJSON := fs.Bool("json", false, "print the entries as JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	switch inbox.OutboxState(*state) {
	case "", inbox.OutboxQueued, inbox.OutboxSending, inbox.OutboxSent, inbox.OutboxFailed:
	default:
		return usagef("outbox: --state %q: want queued, sending, sent or failed", *state)
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	names := map[string]string{}
	accts, err := ws.Store.Accounts(env.Ctx)
	if err != nil {
		return err
	}
	accountID := ""
	for _, a := range accts {
		names[a.ID] = a.Name
		if *account != "" && (a.Name == *account || a.ID == *account) {
			accountID = a.ID
		}
	}
	if *account != "" && accountID == "" {
		return fmt.Errorf("outbox: no account %q: %w", *account, inbox.ErrNotFound)
	}
	items, err := ws.Store.Outbox(env.Ctx, accountID)
	if err != nil {
		return err
	}
	out := []outboxEntry{}
	for _, it := range items {
		if *state != "" && string(it.State) != *state {
			continue
		}
		e := outboxEntry{ID: it.ID, Account: names[it.AccountID], Conversation: it.ConversationID, MessageID: it.MessageID, State: string(it.State),
			Attempts: it.Attempts, Error: it.LastError, CreatedAt: it.CreatedAt.UTC().Format(time.RFC3339)}
		if !it.SentAt.IsZero() {
			e.SentAt = it.SentAt.UTC().Format(time.RFC3339)
		}
		e.To, e.Subject = outboxRecipients(it.Raw)
		out = append(out, e)
	}
	if *asJSON {
		return printJSON(env.Stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(env.Stdout, "The outbox is empty.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tTO\tSUBJECT\tWHY")
	for _, e := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.State, strings.Join(e.To, ", "), e.Subject, oneLine(e.Error))
	}
	return tw.Flush()
}

// outboxRecipients reads who an outgoing message is for (To, Cc, Bcc) and
// its subject from its bytes.
func outboxRecipients(raw []byte) (to []string, subject string) {
	to = []string{}
	p := email.Parse(raw)
	if p.Message == nil {
		return to, ""
	}
	for _, l := range [][]inbox.Address{p.Message.To, p.Message.Cc, p.Message.Bcc} {
		for _, a := range l {
			to = append(to, a.Address)
		}
	}
	return to, p.Message.Subject
}

// runOutboxRetry sends a failed message again, as it is or with the text of
// --body-file (recipients, subject, files and threading kept), unless its
// copy turns up in Sent: then it went out and is not sent twice.
func runOutboxRetry(env *Env, args []string) error {
	fs := newFlags("outbox")
	bodyFile := fs.String("body-file", "", "send this text instead of the failed one (- for standard input)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	var body []byte
	if *bodyFile != "" {
		if body, err = readBody(env, "outbox", *bodyFile); err != nil {
			return err
		}
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	item, err := ws.Store.OutboxItem(env.Ctx, pos[0])
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if item.State != inbox.OutboxFailed {
		return fmt.Errorf("outbox: %s is %s, not failed; only a failed message is retried: %w", item.ID, item.State, inbox.ErrConflict)
	}
	acct, err := ws.Store.Account(env.Ctx, item.AccountID)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	var edit *email.Draft
	if body != nil {
		d, err := syncer.FailedDraft(item)
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		// Signed as `tidings reply` signs: the account's signature under
		// the new text, once; the outbox adds none of its own.
		sig, err := ws.Signature(env.Ctx, acct)
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		d.Text = inbox.Signed(string(body), sig, acct.Channel)
		edit = &d
		acct = workspace.Unsigned(acct)
	}
	opts := syncOptions(env)
	opts.Secrets = openSecrets(env)
	sy := syncer.New(ws.Store, opts)
	ctx, cancel := context.WithTimeout(env.Ctx, 2*time.Minute)
	defer cancel()
	sess, cfg, err := sy.Connect(ctx, acct)
	if err != nil {
		return fmt.Errorf("outbox: nothing was sent: the server could not be reached to check that the first attempt did not go out: %w", err)
	}
	defer sess.Close()
	folders, err := sess.Folders(ctx)
	if err != nil {
		return fmt.Errorf("outbox: nothing was sent: %w", err)
	}
	picked := email.PickFolders(folders, cfg.Folders)
	res := outboxRetryResult{}
	next, err := sy.Resend(ctx, sess, acct, picked, item.ID, edit)
	switch {
	case errors.Is(err, syncer.ErrAlreadySent):
		res = outboxRetryResult{Outbox: item.ID, Conversation: item.ConversationID, MessageID: item.MessageID, State: string(inbox.OutboxSent), AlreadySent: true}
	case err != nil:
		return fmt.Errorf("outbox: %w", err)
	default:
		res = outboxRetryResult{Outbox: next.ID, Conversation: next.ConversationID, MessageID: next.MessageID, State: string(next.State)}
		if next.ID != item.ID {
			res.Replaced = item.ID
		}
		_, _, serr := sy.SendOutbox(ctx, sess, acct, cfg, picked)
		if got, gerr := ws.Store.OutboxItem(env.Ctx, next.ID); gerr == nil {
			res.State, res.Error = string(got.State), got.LastError
		}
		if serr != nil && res.Error == "" {
			res.Error = serr.Error()
		}
	}
	res.To = []string{}
	if got, gerr := ws.Store.OutboxItem(env.Ctx, res.Outbox); gerr == nil {
		res.To, _ = outboxRecipients(got.Raw)
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	to := strings.Join(res.To, ", ")
	switch {
	case res.AlreadySent:
		fmt.Fprintf(env.Stdout, "Not sent again: %s had already gone out to %s (its copy is in Sent).\n", item.ID, to)
	case res.State == string(inbox.OutboxSent):
		fmt.Fprintf(env.Stdout, "Sent to %s.\n", to)
	case res.State == string(inbox.OutboxFailed):
		fmt.Fprintf(env.Stdout, "Not sent to %s: %s. It stays in the outbox (%s): 'tidings outbox retry %s [--body-file FILE]'.\n", to, res.Error, res.Outbox, res.Outbox)
	default:
		fmt.Fprintf(env.Stdout, "Queued for %s: sending failed for now (%s); it is retried by the next 'tidings sync'.\n", to, res.Error)
	}
	return nil
}
