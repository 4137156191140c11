package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
)

func init() {
	// Account secrets live in the OS keyring, or a private file in the
	// data directory when no keyring answers (said once, on stderr).
	secretStore = func(env *Env) (channels.Secrets, error) {
		return openSecrets(env), nil
	}
}

// openSecrets opens the secret store of the data directory.
func openSecrets(env *Env) *secrets.Store {
	return secrets.Open(env.DataDir, &secrets.Options{Notice: func(msg string) {
		fmt.Fprintln(env.Stderr, "note: "+msg)
	}})
}

// emailAccountArgs is what `account add email` was given.
type emailAccountArgs struct {
	Name, Address, IMAP, SMTP, Security, User, Password string
	JSON                                                bool
}

// emailTestOptions tune the connection test (tests add trusted roots).
var emailTestOptions = struct {
	IMAP     *email.Options
	SMTP     *email.SMTPOptions
	Resolver email.Resolver
}{}

func runAccountAddEmail(env *Env, args []string) error {
	fs := newFlags("account")
	var a emailAccountArgs
	fs.StringVar(&a.Name, "name", "", "a name for the account, e.g. \"Shop mail\"")
	fs.StringVar(&a.Address, "address", "", "the email address")
	fs.StringVar(&a.IMAP, "imap", "", "IMAP server as HOST:PORT (default: suggested from the address)")
	fs.StringVar(&a.SMTP, "smtp", "", "SMTP submission server as HOST:PORT (default: suggested from the address)")
	fs.StringVar(&a.Security, "security", "", "tls, starttls or none (none only for loopback; default tls, or the suggestion's)")
	fs.StringVar(&a.User, "user", "", "login name (default: the address)")
	fs.BoolVar(&a.JSON, "json", false, "print the new account as JSON")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if err := a.validate(); err != nil {
		return err
	}
	if !*pwStdin {
		return usagef("account add email: pass the password (or app password) on standard input with --password-stdin (never on the command line)")
	}
	pw, err := readPasswordLine(env.Stdin)
	if err != nil {
		return err
	}
	a.Password = pw
	return addEmailAccount(env, a)
}

// addEmailAccount fills in suggested servers, tests the connection (IMAP
// sign-in and folders, SMTP sign-in) and only then saves the account, with
// the password in the secret store, never in the database.
var addEmailAccount = func(env *Env, a emailAccountArgs) error {
	ctx := env.Ctx
	cfg := email.Config{Address: a.Address, User: a.User}
	if a.User == a.Address {
		cfg.User = ""
	}
	if a.IMAP == "" || a.SMTP == "" {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		s, err := email.Suggest(sctx, a.Address, emailTestOptions.Resolver)
		cancel()
		if err != nil {
			if errors.Is(err, inbox.ErrNotFound) {
				return usagef("account add email: %v", err)
			}
			return fmt.Errorf("account add email: %w", err)
		}
		fmt.Fprintf(env.Stderr, "Using settings from %s: IMAP %s (%s), SMTP %s (%s).\n", s.Source, s.IMAPAddr(), s.IMAPSecurity, s.SMTPAddr(), s.SMTPSecurity)
		cfg.IMAPHost, cfg.IMAPPort, cfg.IMAPSecurity = s.IMAPHost, s.IMAPPort, s.IMAPSecurity
		cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPSecurity = s.SMTPHost, s.SMTPPort, s.SMTPSecurity
		cfg.ServerSavesSent = s.ServerSavesSent
	}
	if a.IMAP != "" {
		cfg.IMAPHost, cfg.IMAPPort = splitHostPort(a.IMAP)
		cfg.IMAPSecurity = email.Security(orDefault(a.Security, "tls"))
	} else if a.Security != "" {
		cfg.IMAPSecurity = email.Security(a.Security)
	}
	if a.SMTP != "" {
		cfg.SMTPHost, cfg.SMTPPort = splitHostPort(a.SMTP)
		cfg.SMTPSecurity = email.SMTPSecurityFor(cfg.SMTPPort, email.Security(orDefault(a.Security, "tls")))
	}
	if isHost(cfg.IMAPHost, "gmail.com", "googlemail.com", "office365.com", "outlook.com") {
		cfg.ServerSavesSent = true
	}
	if err := cfg.Validate(); err != nil {
		return usagef("account add email: %v", strings.TrimPrefix(err.Error(), "email: "))
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	if _, err := ws.Store.AccountByName(ctx, a.Name); err == nil {
		return fmt.Errorf("account add email: an account named %q already exists: %w", a.Name, inbox.ErrConflict)
	}
	auth := email.Auth{Password: a.Password}
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	sess, err := email.Connect(tctx, cfg, auth, emailTestOptions.IMAP)
	if err != nil {
		return fmt.Errorf("account add email: %w", err)
	}
	folders, err := sess.Folders(tctx)
	sess.Close()
	if err != nil {
		return fmt.Errorf("account add email: %w", err)
	}
	picked := email.PickFolders(folders, nil)
	if len(picked) == 0 || picked[0].Role != email.RoleInbox {
		return fmt.Errorf("account add email: the server lists no INBOX folder")
	}
	if err := email.CheckSMTP(tctx, cfg, auth, emailTestOptions.SMTP); err != nil {
		return fmt.Errorf("account add email: %w", err)
	}
	acct := inbox.Account{Channel: inbox.ChannelEmail, Name: a.Name, Address: strings.ToLower(a.Address), Config: cfg.JSON()}
	if err := ws.Store.CreateAccount(ctx, &acct); err != nil {
		return err
	}
	sec := openSecrets(env)
	if err := sec.Set(secrets.PasswordKey(acct.ID), a.Password); err != nil {
		if derr := ws.Store.DeleteAccount(ctx, acct.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return fmt.Errorf("account add email: keeping the password: %w", err)
	}
	var names []string
	for _, f := range picked {
		names = append(names, f.Name)
	}
	if a.JSON {
		return printJSON(env.Stdout, map[string]any{"id": acct.ID, "name": acct.Name, "channel": acct.Channel, "address": acct.Address,
			"settings": cfg, "folders": names, "secrets": sec.Where()})
	}
	fmt.Fprintf(env.Stdout, "Connected %s as %q (IMAP %s, SMTP %s). Folders to sync: %s. Run 'tidings sync --once' to fetch mail.\n",
		acct.Address, acct.Name, cfg.IMAPAddr(), cfg.SMTPAddr(), strings.Join(names, ", "))
	return nil
}

func (a *emailAccountArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return usagef("account add email: --name is required")
	}
	if _, err := inbox.NormalizeAddress(inbox.ChannelEmail, a.Address); err != nil {
		return usagef("account add email: --address %q is not an email address", a.Address)
	}
	for flagName, hp := range map[string]string{"--imap": a.IMAP, "--smtp": a.SMTP} {
		if hp == "" {
			continue
		}
		host, port, err := net.SplitHostPort(hp)
		if err != nil || host == "" {
			return usagef("account add email: %s must be HOST:PORT, got %q", flagName, hp)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return usagef("account add email: %s port %q is not a port number", flagName, port)
		}
	}
	switch a.Security {
	case "", "tls", "starttls", "none":
	default:
		return usagef("account add email: --security must be tls, starttls or none, got %q", a.Security)
	}
	if a.User == "" {
		a.User = a.Address
	}
	return nil
}

func splitHostPort(hp string) (string, int) {
	h, p, _ := net.SplitHostPort(hp)
	n, _ := strconv.Atoi(p)
	return h, n
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// isHost reports whether host is one of the domains or below one.
func isHost(host string, domains ...string) bool {
	host = strings.ToLower(host)
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// readPasswordLine reads one line and drops its line ending (LF or CRLF).
func readPasswordLine(r io.Reader) (string, error) {
	if r == nil {
		return "", usagef("--password-stdin: nothing on standard input")
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("--password-stdin: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", usagef("--password-stdin: standard input held no password")
	}
	return line, nil
}
