package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions tune Send. A nil *SMTPOptions means defaults.
type SMTPOptions struct {
	// DialTimeout bounds connecting and the TLS handshake (default 20 s).
	DialTimeout time.Duration
	// Timeout bounds the whole submission (default 2 min).
	Timeout time.Duration
	// TLSConfig adds trusted roots for tests.
	TLSConfig *tls.Config
}

// Send submits raw to the account's SMTP server (RFC 6409) for the given
// envelope. Errors are *Error: a 4xx reply or a network failure is
// Temporary, a 5xx reply carries the server's reason and is permanent.
func Send(ctx context.Context, cfg Config, auth Auth, from string, rcpts []string, raw []byte, opts *SMTPOptions) error {
	server := "SMTP " + cfg.SMTPAddr()
	if len(rcpts) == 0 {
		return &Error{Kind: KindRejected, Server: server, Msg: "the message has no recipients"}
	}
	c, closeFn, err := dialSMTP(ctx, cfg, auth, opts)
	if err != nil {
		return err
	}
	defer closeFn()
	if err := c.Mail(from, nil); err != nil {
		return classifySMTP(server, "MAIL FROM", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			return classifySMTP(server, "RCPT TO <"+r+">", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return classifySMTP(server, "DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return classifySMTP(server, "DATA", err)
	}
	if err := w.Close(); err != nil {
		return classifySMTP(server, "DATA", err)
	}
	c.Quit()
	return nil
}

// CheckSMTP connects and signs in without sending, for the account form.
func CheckSMTP(ctx context.Context, cfg Config, auth Auth, opts *SMTPOptions) error {
	c, closeFn, err := dialSMTP(ctx, cfg, auth, opts)
	if err != nil {
		return err
	}
	defer closeFn()
	c.Quit()
	return nil
}

// dialSMTP connects, secures, greets and signs in.
func dialSMTP(ctx context.Context, cfg Config, auth Auth, opts *SMTPOptions) (*smtp.Client, func(), error) {
	var o SMTPOptions
	if opts != nil {
		o = *opts
	}
	if o.DialTimeout == 0 {
		o.DialTimeout = 20 * time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	server := "SMTP " + cfg.SMTPAddr()
	if cfg.SMTPSecurity == None && !IsLoopback(cfg.SMTPHost) {
		return nil, nil, &Error{Kind: KindTLS, Server: server, Msg: "refusing to send without TLS to a host that is not loopback"}
	}
	d := net.Dialer{Timeout: o.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", cfg.SMTPAddr())
	if err != nil {
		return nil, nil, classifyDial(server, cfg.SMTPHost, err)
	}
	conn.SetDeadline(time.Now().Add(o.Timeout))
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	fail := func(e error) (*smtp.Client, func(), error) {
		stop()
		conn.Close()
		return nil, nil, e
	}
	tlsCfg := tlsConfigFor(o.TLSConfig, cfg.SMTPHost)
	var c *smtp.Client
	switch cfg.SMTPSecurity {
	case TLS:
		tc := tls.Client(conn, tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail(classifyDial(server, cfg.SMTPHost, err))
		}
		c = smtp.NewClient(tc)
	case StartTLS:
		c, err = smtp.NewClientStartTLS(conn, tlsCfg)
		if err != nil {
			var se *smtp.SMTPError
			if errors.As(err, &se) || strings.Contains(err.Error(), "STARTTLS") {
				return fail(&Error{Kind: KindCapability, Server: server, Msg: "the server does not offer STARTTLS (try tls on port 465)", Err: err})
			}
			return fail(classifyDial(server, cfg.SMTPHost, err))
		}
	default:
		c = smtp.NewClient(conn)
	}
	closeFn := func() {
		stop()
		c.Close()
	}
	if err := c.Hello("localhost"); err != nil {
		closeFn()
		// After STARTTLS the handshake runs on the first command: a
		// certificate problem surfaces here and is said as one.
		if tlsFailure(err) {
			return nil, nil, classifyDial(server, cfg.SMTPHost, err)
		}
		return nil, nil, classifySMTP(server, "EHLO", err)
	}
	if err := smtpAuth(ctx, c, server, cfg, auth); err != nil {
		closeFn()
		return nil, nil, err
	}
	return c, closeFn, nil
}

// smtpAuth signs in with the best mechanism the server offers.
func smtpAuth(ctx context.Context, c *smtp.Client, server string, cfg Config, auth Auth) error {
	ok, _ := c.Extension("AUTH")
	user := cfg.Login()
	var sc sasl.Client
	switch {
	case auth.Token != nil:
		tok, err := auth.Token(ctx)
		if err != nil {
			return &Error{Kind: KindAuth, Server: server, Msg: "could not get an OAuth2 access token", Err: err}
		}
		switch {
		case c.SupportsAuth("OAUTHBEARER"):
			sc = sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: tok})
		case c.SupportsAuth("XOAUTH2"):
			sc = NewXOAuth2Client(user, tok)
		default:
			return &Error{Kind: KindCapability, Server: server, Msg: "the server offers neither XOAUTH2 nor OAUTHBEARER"}
		}
	case !ok && cfg.SMTPSecurity == None:
		return nil // a loopback relay that takes mail without signing in
	case c.SupportsAuth("PLAIN"):
		sc = sasl.NewPlainClient("", user, auth.Password)
	case c.SupportsAuth("LOGIN"):
		sc = sasl.NewLoginClient(user, auth.Password)
	default:
		return &Error{Kind: KindCapability, Server: server, Msg: "the server offers no password sign-in (AUTH PLAIN or LOGIN)"}
	}
	if err := c.Auth(sc); err != nil {
		// A refused XOAUTH2 or OAUTHBEARER token ends the exchange with a
		// JSON error challenge (RFC 7628 section 3.2.2), not a reply code.
		var be *sasl.OAuthBearerError
		if errors.As(err, &be) {
			return &Error{Kind: KindAuth, Server: server, Msg: fmt.Sprintf("login rejected for %q: the OAuth2 token was refused (%s): sign in again", user, be.Status), Err: err}
		}
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code/100 == 5 {
			return &Error{Kind: KindAuth, Server: server, Msg: fmt.Sprintf("login rejected for %q: the server said %d %s", user, se.Code, se.Message), Err: err}
		}
		return classifySMTP(server, "AUTH", err)
	}
	return nil
}

// classifySMTP wraps an SMTP failure: 4xx is temporary, 5xx permanent.
func classifySMTP(server, op string, err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return &Error{Kind: KindRejected, Server: server, Temporary: se.Code/100 == 4,
			Msg: fmt.Sprintf("%s refused: %d %s", op, se.Code, se.Message), Err: err}
	}
	if isTimeout(err) {
		return &Error{Kind: KindTimeout, Server: server, Msg: op + ": the server stopped answering", Temporary: true, Err: err}
	}
	return &Error{Kind: KindNetwork, Server: server, Msg: op + ": the connection failed", Temporary: true, Err: err}
}
