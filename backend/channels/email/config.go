package email

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"

	"tidings/backend/inbox"
)

// Security is how a connection is protected.
type Security string

// Security modes. None is only accepted for loopback hosts.
const (
	// TLS is implicit TLS from the first byte (IMAP 993, SMTP 465; RFC 8314).
	TLS Security = "tls"
	// StartTLS upgrades a plain connection (IMAP 143, SMTP 587).
	StartTLS Security = "starttls"
	// None sends everything in clear text: loopback test servers only.
	None Security = "none"
)

// Config is an email account's settings, stored as the account's Config
// JSON. It never holds a password or token: those live in backend/secrets.
type Config struct {
	Address      string   `json:"address"`
	IMAPHost     string   `json:"imap_host"`
	IMAPPort     int      `json:"imap_port"`
	IMAPSecurity Security `json:"imap_security"`
	SMTPHost     string   `json:"smtp_host"`
	SMTPPort     int      `json:"smtp_port"`
	SMTPSecurity Security `json:"smtp_security"`
	// User is the login name; empty means the address.
	User string `json:"user,omitempty"`
	// Auth is "password" (LOGIN / AUTH PLAIN) or "oauth2" (XOAUTH2 /
	// OAUTHBEARER with a token from the secret store).
	Auth string `json:"auth,omitempty"`
	// Aliases are further addresses of the business in this mailbox: mail
	// from them is direction out.
	Aliases []string `json:"aliases,omitempty"`
	// Folders lists extra folders to sync besides Inbox, Sent and Archive.
	Folders []string `json:"folders,omitempty"`
	// ServerSavesSent is set for servers that file submitted mail in Sent
	// themselves (Gmail, Outlook): Tidings then does not APPEND a copy.
	ServerSavesSent bool `json:"server_saves_sent,omitempty"`
	// Signature is appended to replies.
	Signature string `json:"signature,omitempty"`
	// OAuth is the authorization server for Auth "oauth2" (its client
	// secret, if any, lives with the token in the secret store).
	OAuth *OAuthProvider `json:"oauth,omitempty"`
}

// Login returns the login name.
func (c Config) Login() string {
	if c.User != "" {
		return c.User
	}
	return c.Address
}

// IMAPAddr returns HOST:PORT of the IMAP server.
func (c Config) IMAPAddr() string { return net.JoinHostPort(c.IMAPHost, strconv.Itoa(c.IMAPPort)) }

// SMTPAddr returns HOST:PORT of the SMTP server.
func (c Config) SMTPAddr() string { return net.JoinHostPort(c.SMTPHost, strconv.Itoa(c.SMTPPort)) }

// Own returns the business's addresses in this mailbox, lower case.
func (c Config) Own() []string {
	out := []string{strings.ToLower(c.Address)}
	for _, a := range c.Aliases {
		out = append(out, strings.ToLower(strings.TrimSpace(a)))
	}
	return out
}

// Validate checks the settings. None is refused for a host that is not
// loopback: a password must never cross a network in clear text.
func (c Config) Validate() error {
	if _, err := inbox.NormalizeAddress(inbox.ChannelEmail, c.Address); err != nil {
		return fmt.Errorf("email: address %q is not an email address: %w", c.Address, inbox.ErrInvalid)
	}
	for _, s := range []struct {
		what string
		host string
		port int
		sec  Security
	}{{"IMAP", c.IMAPHost, c.IMAPPort, c.IMAPSecurity}, {"SMTP", c.SMTPHost, c.SMTPPort, c.SMTPSecurity}} {
		if s.host == "" {
			return fmt.Errorf("email: %s host is empty: %w", s.what, inbox.ErrInvalid)
		}
		if s.port < 1 || s.port > 65535 {
			return fmt.Errorf("email: %s port %d is not a port number: %w", s.what, s.port, inbox.ErrInvalid)
		}
		switch s.sec {
		case TLS, StartTLS:
		case None:
			if !IsLoopback(s.host) {
				return fmt.Errorf("email: %s security \"none\" is only allowed for a loopback host, not %q (use tls or starttls): %w", s.what, s.host, inbox.ErrInvalid)
			}
		default:
			return fmt.Errorf("email: %s security %q: want tls, starttls or none: %w", s.what, s.sec, inbox.ErrInvalid)
		}
	}
	return nil
}

// IsLoopback reports whether host names this machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseConfig reads an account's Config JSON.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("email: account settings are damaged: %w", err)
	}
	return c, nil
}

// JSON returns the settings as stored in the account.
func (c Config) JSON() []byte {
	b, _ := json.Marshal(c)
	return b
}

// SMTPSecurityFor picks the usual security for an SMTP port: implicit TLS
// on 465 (RFC 8314), STARTTLS elsewhere, none when the IMAP side is none.
func SMTPSecurityFor(port int, imap Security) Security {
	switch {
	case imap == None:
		return None
	case port == 465:
		return TLS
	default:
		return StartTLS
	}
}
