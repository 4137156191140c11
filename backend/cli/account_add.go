package cli

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"tidings/backend/inbox"
)

// emailAccountArgs is what `account add email` was given.
type emailAccountArgs struct {
	Name, Address, IMAP, SMTP, Security, User, Password string
}

func runAccountAddEmail(env *Env, args []string) error {
	fs := newFlags("account")
	var a emailAccountArgs
	fs.StringVar(&a.Name, "name", "", "a name for the account, e.g. \"Shop mail\"")
	fs.StringVar(&a.Address, "address", "", "the email address")
	fs.StringVar(&a.IMAP, "imap", "", "IMAP server as HOST:PORT")
	fs.StringVar(&a.SMTP, "smtp", "", "SMTP submission server as HOST:PORT")
	fs.StringVar(&a.Security, "security", "tls", "tls, starttls or none (none only for loopback)")
	fs.StringVar(&a.User, "user", "", "login name (default: the address)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if err := a.validate(); err != nil {
		return err
	}
	if *pwStdin {
		pw, err := readPasswordLine(env.Stdin)
		if err != nil {
			return err
		}
		a.Password = pw
	}
	return addEmailAccount(env, a)
}

// addEmailAccount connects the account. The email channel provides it.
var addEmailAccount = func(env *Env, a emailAccountArgs) error {
	return fmt.Errorf("account add email: connecting email accounts is %w", inbox.ErrNotAvailable)
}

func (a *emailAccountArgs) validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return usagef("account add email: --name is required")
	}
	if _, err := inbox.NormalizeAddress(inbox.ChannelEmail, a.Address); err != nil {
		return usagef("account add email: --address %q is not an email address", a.Address)
	}
	for flagName, hp := range map[string]string{"--imap": a.IMAP, "--smtp": a.SMTP} {
		host, port, err := net.SplitHostPort(hp)
		if err != nil || host == "" {
			return usagef("account add email: %s must be HOST:PORT, got %q", flagName, hp)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return usagef("account add email: %s port %q is not a port number", flagName, port)
		}
	}
	switch a.Security {
	case "tls", "starttls", "none":
	default:
		return usagef("account add email: --security must be tls, starttls or none, got %q", a.Security)
	}
	if a.User == "" {
		a.User = a.Address
	}
	return nil
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
