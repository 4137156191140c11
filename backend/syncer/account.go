package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/store"
)

// AccountForm is what the owner typed to connect a mailbox, in the window's
// form or on the command line. Empty servers are suggested from the
// address.
type AccountForm struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	IMAPHost string `json:"imap_host,omitempty"`
	IMAPPort int    `json:"imap_port,omitempty"`
	SMTPHost string `json:"smtp_host,omitempty"`
	SMTPPort int    `json:"smtp_port,omitempty"`
	// Security is tls, starttls or none (loopback only) for IMAP; SMTP
	// follows its port (465 TLS, else STARTTLS) unless none.
	Security string `json:"security,omitempty"`
	User     string `json:"user,omitempty"`
	Password string `json:"-"`
	// OAuth, when set, signs in with OAuth2 instead of a password.
	OAuth *email.OAuthProvider `json:"oauth,omitempty"`
	// Folders names folders to sync besides Inbox, Sent and Archive.
	Folders []string `json:"folders,omitempty"`
}

// AddOptions tune AddAccount.
type AddOptions struct {
	// Open shows the OAuth2 sign-in page (required with OAuth).
	Open func(url string) error
	// OAuthTimeout bounds the wait for the OAuth2 sign-in (default 5 min).
	OAuthTimeout time.Duration
	// Notice receives progress sentences ("Using settings from ...").
	Notice   func(string)
	IMAP     *email.Options
	SMTP     *email.SMTPOptions
	Resolver email.Resolver
}

// Added says what AddAccount saved.
type Added struct {
	Account inbox.Account `json:"-"`
	Config  email.Config  `json:"settings"`
	Folders []string      `json:"folders"`
	// Secrets says where the password went ("the OS keyring" or a file).
	Secrets string `json:"secrets"`
	// Source says where the server settings came from, when suggested.
	Source string `json:"source,omitempty"`
}

// ErrUsage marks a form mistake the owner must correct (as opposed to a
// server that failed); it wraps inbox.ErrInvalid.
var ErrUsage = fmt.Errorf("syncer: %w", inbox.ErrInvalid)

// AddAccount connects a mailbox: it fills in suggested servers, tests the
// connection (IMAP sign-in, folders, SMTP sign-in) with errors that say what
// is wrong (*email.Error), and only then saves the account, with the
// password or OAuth2 token in the secret store, never in the database.
func AddAccount(ctx context.Context, st *store.Store, sec *secrets.Store, f AccountForm, o *AddOptions) (Added, error) {
	var opts AddOptions
	if o != nil {
		opts = *o
	}
	notice := func(s string) {
		if opts.Notice != nil {
			opts.Notice(s)
		}
	}
	var out Added
	if strings.TrimSpace(f.Name) == "" {
		return out, fmt.Errorf("%w: the account needs a name", ErrUsage)
	}
	if _, err := inbox.NormalizeAddress(inbox.ChannelEmail, f.Address); err != nil {
		return out, fmt.Errorf("%w: %q is not an email address", ErrUsage, f.Address)
	}
	cfg := email.Config{Address: f.Address}
	if f.User != "" && !strings.EqualFold(f.User, f.Address) {
		cfg.User = f.User
	}
	if f.IMAPHost == "" || f.SMTPHost == "" {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		s, err := email.Suggest(sctx, f.Address, opts.Resolver)
		cancel()
		if err != nil {
			if errors.Is(err, inbox.ErrNotFound) {
				return out, fmt.Errorf("%w: %s", ErrUsage, strings.TrimPrefix(err.Error(), "email: "))
			}
			return out, err
		}
		out.Source = s.Source
		notice(fmt.Sprintf("Using settings from %s: IMAP %s (%s), SMTP %s (%s).", s.Source, s.IMAPAddr(), s.IMAPSecurity, s.SMTPAddr(), s.SMTPSecurity))
		cfg.IMAPHost, cfg.IMAPPort, cfg.IMAPSecurity = s.IMAPHost, s.IMAPPort, s.IMAPSecurity
		cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPSecurity = s.SMTPHost, s.SMTPPort, s.SMTPSecurity
		cfg.ServerSavesSent = s.ServerSavesSent
	}
	sec0 := email.Security(f.Security)
	if f.IMAPHost != "" {
		cfg.IMAPHost, cfg.IMAPPort, cfg.IMAPSecurity = f.IMAPHost, f.IMAPPort, orSecurity(sec0, email.TLS)
	} else if sec0 != "" {
		cfg.IMAPSecurity = sec0
	}
	if f.SMTPHost != "" {
		cfg.SMTPHost, cfg.SMTPPort = f.SMTPHost, f.SMTPPort
		cfg.SMTPSecurity = email.SMTPSecurityFor(cfg.SMTPPort, orSecurity(sec0, email.TLS))
	}
	if hostIn(cfg.IMAPHost, "gmail.com", "googlemail.com", "office365.com", "outlook.com") {
		cfg.ServerSavesSent = true
	}
	if err := cfg.Validate(); err != nil {
		return out, fmt.Errorf("%w: %s", ErrUsage, strings.TrimPrefix(err.Error(), "email: "))
	}
	if _, err := st.AccountByName(ctx, f.Name); err == nil {
		return out, fmt.Errorf("syncer: an account named %q already exists: %w", f.Name, inbox.ErrConflict)
	}
	auth := email.Auth{Password: f.Password}
	var oauth *email.OAuthSecret
	if f.OAuth != nil {
		if opts.Open == nil {
			return out, errors.New("syncer: OAuth2 sign-in needs a way to open the browser")
		}
		tok, err := email.Authorize(ctx, *f.OAuth, email.AuthorizeOptions{LoginHint: f.Address, Open: opts.Open, Timeout: opts.OAuthTimeout})
		if err != nil {
			return out, err
		}
		oauth = &email.OAuthSecret{Token: tok, ClientSecret: f.OAuth.ClientSecret}
		src := email.NewTokenSource(*f.OAuth, tok, func(t email.OAuthToken) error { oauth.Token = t; return nil })
		auth = email.Auth{Token: src.Token}
		p := *f.OAuth
		cfg.Auth, cfg.OAuth = "oauth2", &p
	} else if f.Password == "" {
		return out, fmt.Errorf("%w: the password (or app password) is empty", ErrUsage)
	}
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	sess, err := email.Connect(tctx, cfg, auth, opts.IMAP)
	if err != nil {
		return out, err
	}
	folders, err := sess.Folders(tctx)
	sess.Close()
	if err != nil {
		return out, err
	}
	picked := email.PickFolders(folders, f.Folders)
	if len(picked) == 0 || picked[0].Role != email.RoleInbox {
		return out, errors.New("syncer: the server lists no INBOX folder")
	}
	if err := missingFolders(folders, f.Folders); err != nil {
		return out, err
	}
	cfg.Folders = f.Folders
	if err := email.CheckSMTP(tctx, cfg, auth, opts.SMTP); err != nil {
		return out, err
	}
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: f.Name, Address: strings.ToLower(f.Address), Config: cfg.JSON()}
	if err := st.CreateAccount(ctx, &acct); err != nil {
		return out, err
	}
	key, value := secrets.PasswordKey(acct.ID), f.Password
	if oauth != nil {
		b, _ := json.Marshal(oauth)
		key, value = secrets.TokenKey(acct.ID), string(b)
	}
	if err := sec.Set(key, value); err != nil {
		if derr := st.DeleteAccount(ctx, acct.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return out, fmt.Errorf("syncer: keeping the password: %w", err)
	}
	out.Account, out.Config, out.Secrets = acct, cfg, sec.Where()
	for _, f := range picked {
		out.Folders = append(out.Folders, f.Name)
	}
	return out, nil
}

// missingFolders names the requested folders the server does not list.
func missingFolders(all []email.Folder, want []string) error {
	have := map[string]bool{}
	var names []string
	for _, f := range all {
		have[strings.ToLower(f.Name)] = true
		names = append(names, f.Name)
	}
	var missing []string
	for _, w := range want {
		if !have[strings.ToLower(w)] {
			missing = append(missing, fmt.Sprintf("%q", w))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%w: the server has no folder %s (it lists %s)", ErrUsage, strings.Join(missing, ", "), strings.Join(names, ", "))
}

func orSecurity(s, d email.Security) email.Security {
	if s == "" {
		return d
	}
	return s
}

// hostIn reports whether host is one of the domains or below one.
func hostIn(host string, domains ...string) bool {
	host = strings.ToLower(host)
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
