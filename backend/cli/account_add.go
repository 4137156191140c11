package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/secrets"
	"tidings/backend/syncer"
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
	// Folders are synced besides Inbox, Sent and Archive.
	Folders []string
	// OAuth2 names the provider (google, microsoft, custom) for OAuth2
	// sign-in instead of a password; ClientID is the user's own.
	OAuth2, ClientID, ClientSecret, AuthURL, TokenURL, Scopes string
}

// openBrowser shows the OAuth2 sign-in page: printed, and opened with
// xdg-open where there is one. Tests replace it.
var openBrowser = func(env *Env, u string) error {
	fmt.Fprintf(env.Stderr, "Sign in to your mail provider in the browser; if it does not open, visit:\n%s\n", u)
	if path, err := exec.LookPath("xdg-open"); err == nil {
		exec.Command(path, u).Start()
	}
	return nil
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
	var folders listFlag
	fs.Var(&folders, "folder", "also sync this folder besides Inbox, Sent and Archive (repeatable, or comma separated)")
	fs.StringVar(&a.OAuth2, "oauth2", "", "sign in with OAuth2 instead of a password: google, microsoft or custom")
	fs.StringVar(&a.ClientID, "client-id", "", "your OAuth2 client ID (with --oauth2)")
	fs.StringVar(&a.AuthURL, "auth-url", "", "authorization endpoint (with --oauth2 custom)")
	fs.StringVar(&a.TokenURL, "token-url", "", "token endpoint (with --oauth2 custom)")
	fs.StringVar(&a.Scopes, "scopes", "", "scopes, comma-separated (with --oauth2 custom)")
	secretStdin := fs.Bool("client-secret-stdin", false, "read the OAuth2 client secret from standard input (with --oauth2)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if err := a.validate(); err != nil {
		return err
	}
	a.Folders = folders
	if a.OAuth2 != "" {
		if a.ClientID == "" {
			return usagef("account add email: --oauth2 needs --client-id (register Tidings as a desktop app with %s)", a.OAuth2)
		}
		if *secretStdin {
			sec, err := readPasswordLine(env.Stdin)
			if err != nil {
				return err
			}
			a.ClientSecret = sec
		}
		return addEmailAccount(env, a)
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
	f := syncer.AccountForm{Name: a.Name, Address: a.Address, Security: a.Security, User: a.User, Password: a.Password, Folders: a.Folders}
	if a.IMAP != "" {
		f.IMAPHost, f.IMAPPort = splitHostPort(a.IMAP)
	}
	if a.SMTP != "" {
		f.SMTPHost, f.SMTPPort = splitHostPort(a.SMTP)
	}
	if a.OAuth2 != "" {
		p, err := a.provider()
		if err != nil {
			return err
		}
		f.OAuth = &p
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	sec := openSecrets(env)
	added, err := syncer.AddAccount(env.Ctx, ws.Store, sec, f, &syncer.AddOptions{
		Open:     func(u string) error { return openBrowser(env, u) },
		Notice:   func(s string) { fmt.Fprintln(env.Stderr, s) },
		IMAP:     emailTestOptions.IMAP,
		SMTP:     emailTestOptions.SMTP,
		Resolver: emailTestOptions.Resolver,
	})
	if errors.Is(err, syncer.ErrUsage) {
		return usagef("account add email: %s", strings.TrimPrefix(err.Error(), "syncer: invalid: "))
	}
	if err != nil {
		return fmt.Errorf("account add email: %w", err)
	}
	acct, cfg := added.Account, added.Config
	if a.JSON {
		return printJSON(env.Stdout, map[string]any{"id": acct.ID, "name": acct.Name, "channel": acct.Channel, "address": acct.Address,
			"settings": cfg, "folders": added.Folders, "secrets": added.Secrets})
	}
	fmt.Fprintf(env.Stdout, "Connected %s as %q (IMAP %s, SMTP %s). Folders to sync: %s. Run 'tidings sync --once' to fetch mail.\n",
		acct.Address, acct.Name, cfg.IMAPAddr(), cfg.SMTPAddr(), strings.Join(added.Folders, ", "))
	return nil
}

// provider returns the OAuth2 authorization server asked for.
func (a *emailAccountArgs) provider() (email.OAuthProvider, error) {
	if a.OAuth2 == "custom" && (a.AuthURL == "" || a.TokenURL == "") {
		return email.OAuthProvider{}, usagef("account add email: --oauth2 custom needs --auth-url and --token-url")
	}
	p, err := email.OAuthProviderFor(a.OAuth2, a.ClientID, a.ClientSecret, a.AuthURL, a.TokenURL, strings.Split(a.Scopes, ","))
	if err != nil {
		msg := strings.TrimSuffix(strings.TrimPrefix(err.Error(), "email: "), ": "+inbox.ErrInvalid.Error())
		return p, usagef("account add email: %s", msg)
	}
	return p, nil
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
