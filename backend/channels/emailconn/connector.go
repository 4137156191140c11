// Package emailconn is the email channel as a channels.Connector: IMAP
// receive (RFC 9051) and SMTP submission (RFC 6409) over the email
// package's Session, parser and composer, with one cursor per folder
// (UIDVALIDITY and the last UID stored, RFC 9051 section 2.3.1.1), threads
// of its own (Capabilities.Threads: channels.Apply files its messages
// through backend/threader, as the email syncer does), and errors marked
// temporary or permanent with what to fix.
//
// The email syncer (backend/syncer) stays the production mail sync: flags
// both ways, expunges found by UID diff, UIDVALIDITY re-mapping without
// downloads, newest-first pipelined batches, and the outbox that sends
// exactly once across crashes; none of that fits one Receive/Apply round.
// This connector is the same mail through the framework every channel
// shares, built on the same Session, parser, composer, sign-in
// (syncer.AccountAuth) and threader: it passes the shared conformance suite
// (channels/channeltest) against a real Dovecot, files messages into the
// same conversations as the syncer, and the registry opens it for email
// accounts (the reply picker's limits for email come from it).
//
// It lives beside package email rather than in it because channels
// imports the threader, whose tests import email.
package emailconn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
)

// MaxUploadSize is the largest attachment the connector sends: what Gmail
// and Outlook accept. A server with a smaller SIZE limit refuses the
// message, which comes back as a rejected send.
const MaxUploadSize = 25 << 20

// Options configure a Connector. Account, Config and Auth are required.
type Options struct {
	// Account is the email account; its ID derives message IDs.
	Account inbox.Account
	Config  email.Config
	Auth    email.Auth
	// IMAP and SMTP tune connections (timeouts, trusted roots, debug).
	IMAP *email.Options
	SMTP *email.SMTPOptions
	// BatchMessages caps the messages one Receive returns (default 200).
	BatchMessages int
	// Wait is how long Receive waits in IMAP IDLE on the inbox when
	// nothing is new (0: it returns at once).
	Wait time.Duration
	Log  *slog.Logger
}

// Connector is one email account. It does no I/O until Connect.
type Connector struct {
	opt     Options
	own     map[string]bool
	sess    *email.Session
	folders []email.Folder
}

// New returns a Connector.
func New(opt Options) *Connector {
	if opt.BatchMessages <= 0 {
		opt.BatchMessages = 200
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	own := map[string]bool{}
	if opt.Account.Address != "" {
		own[strings.ToLower(opt.Account.Address)] = true
	}
	for _, a := range opt.Config.Own() {
		own[a] = true
	}
	return &Connector{opt: opt, own: own}
}

// Factory builds the connector of an email account, signing in as the email
// syncer does (syncer.AccountAuth: the password, or a self-refreshing
// OAuth2 token). It is the registry entry for inbox.ChannelEmail.
func Factory(acct inbox.Account, sec channels.Secrets) (channels.Connector, error) {
	if acct.Demo() {
		return nil, channels.Permanent("open", fmt.Errorf("emailconn: %s is a demo account with no server behind it: %w", acct.Name, inbox.ErrInvalid),
			"demo accounts never sync; add your own mailbox")
	}
	cfg, err := email.ParseConfig(acct.Config)
	if err != nil {
		return nil, channels.Permanent("open", err, "add the account again")
	}
	var auth email.Auth
	switch s := sec.(type) {
	case *secrets.Store:
		auth, err = syncer.AccountAuth(context.Background(), s, acct)
	case nil:
		err = errors.New("emailconn: no secret store")
	default:
		if cfg.Auth == "oauth2" {
			err = errors.New("emailconn: OAuth2 sign-in needs the app's secret store")
			break
		}
		auth.Password, err = s.Get(secrets.PasswordKey(acct.ID))
	}
	if err != nil {
		return nil, channels.Permanent("open", fmt.Errorf("emailconn: sign-in of %s: %w", acct.Name, err),
			"enter the account's password again in its settings")
	}
	return New(Options{Account: acct, Config: cfg, Auth: auth}), nil
}

// Capabilities: email carries threads of its own and files both ways, with
// no reply window, text limit or read receipts; a reply quotes by
// In-Reply-To.
func (c *Connector) Capabilities() channels.Capabilities {
	return channels.Capabilities{Threads: true, Attachments: true, Quotes: true, MaxUploadSize: MaxUploadSize}
}

// Connect signs in to the IMAP server and picks the folders to receive
// from: Inbox, Sent and Archive, and the account's extra folders.
func (c *Connector) Connect(ctx context.Context) error {
	if c.sess != nil {
		return nil
	}
	sess, err := email.Connect(ctx, c.opt.Config, c.opt.Auth, c.opt.IMAP)
	if err != nil {
		return classify("connect", err)
	}
	all, err := sess.Folders(ctx)
	if err != nil {
		sess.Close()
		return classify("LIST", err)
	}
	picked := email.PickFolders(all, c.opt.Config.Folders)
	if len(picked) == 0 || picked[0].Role != email.RoleInbox {
		sess.Close()
		return channels.Permanent("connect", fmt.Errorf("emailconn: %s lists no INBOX", sess.Server()),
			"check that the account's user name is the mailbox's, not an alias")
	}
	c.sess, c.folders = sess, picked
	return nil
}

// Close logs out. It is safe to call more than once.
func (c *Connector) Close() error {
	s := c.sess
	c.sess, c.folders = nil, nil
	if s == nil {
		return nil
	}
	return s.Close()
}

// drop forgets a session that failed, so the next call connects again.
func (c *Connector) drop() {
	if c.sess != nil {
		c.sess.Close()
		c.sess, c.folders = nil, nil
	}
}
