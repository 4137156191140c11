package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// Auth is how to sign in: a password, or an OAuth2 access token source.
type Auth struct {
	Password string
	// Token returns a fresh OAuth2 access token; when set, the session
	// signs in with XOAUTH2 or OAUTHBEARER (RFC 7628) instead of a password.
	Token func(ctx context.Context) (string, error)
}

// Options tune Connect. A nil *Options means defaults.
type Options struct {
	// DialTimeout bounds connecting and the TLS handshake (default 20 s).
	DialTimeout time.Duration
	// ReadTimeout fails a command whose reply stalls this long (default 60 s).
	ReadTimeout time.Duration
	// TLSConfig adds trusted roots for tests; ServerName is always the host.
	TLSConfig *tls.Config
	// Debug receives the protocol trace with credentials removed.
	Debug io.Writer
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.DialTimeout == 0 {
		v.DialTimeout = 20 * time.Second
	}
	if v.ReadTimeout == 0 {
		v.ReadTimeout = 60 * time.Second
	}
	return v
}

// Session is a signed-in IMAP connection. Its methods are for one goroutine
// at a time; Updates may be watched from another.
type Session struct {
	c       *imapclient.Client
	conn    *watchConn
	server  string
	caps    imap.CapSet
	updates chan struct{}
	// selected is the folder currently selected, "" for none.
	selected string
}

// Connect dials the account's IMAP server, checks its capabilities and
// signs in. Each failure is an *Error saying exactly what went wrong: name
// not found, refused, timed out, TLS certificate invalid (for which host and
// why), login rejected, capability missing.
func Connect(ctx context.Context, cfg Config, auth Auth, opts *Options) (*Session, error) {
	o := opts.withDefaults()
	server := "IMAP " + cfg.IMAPAddr()
	if cfg.IMAPSecurity == None && !IsLoopback(cfg.IMAPHost) {
		return nil, &Error{Kind: KindTLS, Server: server, Msg: "refusing to sign in without TLS to a host that is not loopback"}
	}
	d := net.Dialer{Timeout: o.DialTimeout}
	raw, err := d.DialContext(ctx, "tcp", cfg.IMAPAddr())
	if err != nil {
		return nil, classifyDial(server, cfg.IMAPHost, err)
	}
	wc := &watchConn{Conn: raw, timeout: o.ReadTimeout}
	s := &Session{conn: wc, server: server, updates: make(chan struct{}, 1)}
	copts := &imapclient.Options{
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Expunge: func(uint32) { s.notify() },
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					s.notify()
				}
			},
			Fetch: func(m *imapclient.FetchMessageData) {
				m.Collect() // must be drained, or the reader blocks
				s.notify()
			},
		},
		WordDecoder: wordDecoder,
	}
	if o.Debug != nil {
		copts.DebugWriter = &redactor{w: o.Debug}
	}
	tlsCfg := tlsConfigFor(o.TLSConfig, cfg.IMAPHost)
	wc.begin()
	stop := context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	switch cfg.IMAPSecurity {
	case TLS:
		tlsCfg.NextProtos = []string{"imap"}
		tc := tls.Client(wc, tlsCfg)
		hctx, cancel := context.WithTimeout(ctx, o.DialTimeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			raw.Close()
			return nil, classifyDial(server, cfg.IMAPHost, err)
		}
		s.c = imapclient.New(tc, copts)
	case StartTLS:
		copts.TLSConfig = tlsCfg
		c, err := imapclient.NewStartTLS(wc, copts)
		if err != nil {
			raw.Close()
			var ie *imap.Error
			if errors.As(err, &ie) {
				return nil, &Error{Kind: KindCapability, Server: server, Msg: "the server does not offer STARTTLS (try tls on port 993)", Err: err}
			}
			return nil, classifyDial(server, cfg.IMAPHost, err)
		}
		s.c = c
	default:
		s.c = imapclient.New(wc, copts)
	}
	if err := s.c.WaitGreeting(); err != nil {
		s.c.Close()
		return nil, s.classify("no greeting", err)
	}
	wc.end()
	if err := s.signIn(ctx, cfg, auth); err != nil {
		s.c.Close()
		return nil, err
	}
	return s, nil
}

// preferXOAuth2 makes sign-in use XOAUTH2 even where OAUTHBEARER is
// offered (tests cover both mechanisms).
var preferXOAuth2 = false

// tlsConfigFor verifies the server's certificate for host.
func tlsConfigFor(base *tls.Config, host string) *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if base != nil {
		c = base.Clone()
	}
	c.ServerName = host
	return c
}

// signIn checks capabilities and authenticates.
func (s *Session) signIn(ctx context.Context, cfg Config, auth Auth) error {
	caps, err := s.capabilities(ctx)
	if err != nil {
		return err
	}
	if !caps.Has(imap.CapIMAP4rev1) && !caps.Has(imap.CapIMAP4rev2) {
		return &Error{Kind: KindCapability, Server: s.server, Msg: "the server does not speak IMAP4rev1 or IMAP4rev2"}
	}
	user := cfg.Login()
	err = s.do(ctx, func() error {
		if auth.Token != nil {
			tok, err := auth.Token(ctx)
			if err != nil {
				return &Error{Kind: KindAuth, Server: s.server, Msg: "could not get an OAuth2 access token", Err: err}
			}
			switch {
			case caps.Has("AUTH=OAUTHBEARER") && !preferXOAuth2:
				return s.c.Authenticate(sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: tok}))
			case caps.Has("AUTH=XOAUTH2"):
				return s.c.Authenticate(NewXOAuth2Client(user, tok))
			}
			return &Error{Kind: KindCapability, Server: s.server, Msg: "the server offers neither XOAUTH2 nor OAUTHBEARER for OAuth2 sign-in"}
		}
		if caps.Has(imap.CapLoginDisabled) {
			if caps.Has("AUTH=PLAIN") {
				return s.c.Authenticate(sasl.NewPlainClient("", user, auth.Password))
			}
			return &Error{Kind: KindCapability, Server: s.server, Msg: "the server refuses password login on this connection (LOGINDISABLED; use tls or starttls)"}
		}
		return s.c.Login(user, auth.Password).Wait()
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		var ie *imap.Error
		if errors.As(err, &ie) {
			return &Error{Kind: KindAuth, Server: s.server, Msg: fmt.Sprintf("login rejected for %q: the server said %q", user, ie.Text), Err: err}
		}
		var be *sasl.OAuthBearerError
		if errors.As(err, &be) {
			return &Error{Kind: KindAuth, Server: s.server, Msg: fmt.Sprintf("the OAuth2 token for %q was rejected (%s): sign in again", user, be.Status), Err: err}
		}
		return s.classify("sign-in", err)
	}
	caps, err = s.capabilities(ctx)
	if err != nil {
		return err
	}
	s.caps = caps
	return nil
}

func (s *Session) capabilities(ctx context.Context) (imap.CapSet, error) {
	var caps imap.CapSet
	err := s.do(ctx, func() error {
		var err error
		caps, err = s.c.Capability().Wait()
		return err
	})
	if err != nil {
		return nil, s.classify("CAPABILITY", err)
	}
	return caps, nil
}

// Has reports whether the server announced a capability ("IDLE",
// "CONDSTORE", "SPECIAL-USE", "UIDPLUS", ...).
func (s *Session) Has(c string) bool { return s.caps.Has(imap.Cap(c)) }

// Server names the server for messages: "IMAP host:port".
func (s *Session) Server() string { return s.server }

// Updates signals when the server reports new, changed or expunged
// messages in the selected folder (during IDLE or any command).
func (s *Session) Updates() <-chan struct{} { return s.updates }

func (s *Session) notify() {
	select {
	case s.updates <- struct{}{}:
	default:
	}
}

// Close logs out and closes the connection.
func (s *Session) Close() error {
	if s == nil || s.c == nil {
		return nil
	}
	done := make(chan struct{})
	go func() {
		s.conn.begin()
		s.c.Logout().Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return s.c.Close()
}

// do runs one command exchange with the stall watchdog armed and the
// context able to cut it short.
func (s *Session) do(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.conn.begin()
	defer s.conn.end()
	stop := context.AfterFunc(ctx, func() { s.conn.Conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	err := fn()
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// classify wraps a command error.
func (s *Session) classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ie *imap.Error
	if errors.As(err, &ie) {
		return &Error{Kind: KindRejected, Server: s.server, Msg: fmt.Sprintf("%s refused: %s", op, ie.Text), Temporary: ie.Type == imap.StatusResponseTypeNo, Err: err}
	}
	if isTimeout(err) {
		return &Error{Kind: KindTimeout, Server: s.server, Msg: op + ": the server stopped answering", Temporary: true, Err: err}
	}
	return &Error{Kind: KindNetwork, Server: s.server, Msg: op + ": the connection failed", Temporary: true, Err: err}
}

// watchConn arms a read deadline while a command waits for its reply and
// renews it whenever bytes arrive, so a stalled server fails the command
// instead of hanging; an idle connection has no deadline.
type watchConn struct {
	net.Conn
	timeout time.Duration
	mu      sync.Mutex
	busy    int
}

func (w *watchConn) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	if n > 0 {
		w.mu.Lock()
		if w.busy > 0 {
			w.Conn.SetReadDeadline(time.Now().Add(w.timeout))
		}
		w.mu.Unlock()
	}
	return n, err
}

// SetReadDeadline ignores deadlines set by the IMAP library, which would
// cut an IDLE after 30 s; the watchdog sets its own on the inner conn.
func (w *watchConn) SetReadDeadline(time.Time) error { return nil }

// SetDeadline keeps the write half of a deadline only.
func (w *watchConn) SetDeadline(t time.Time) error { return w.Conn.SetWriteDeadline(t) }

func (w *watchConn) begin() {
	w.mu.Lock()
	w.busy++
	w.Conn.SetReadDeadline(time.Now().Add(w.timeout))
	w.mu.Unlock()
}

func (w *watchConn) end() {
	w.mu.Lock()
	if w.busy > 0 {
		w.busy--
	}
	if w.busy == 0 {
		w.Conn.SetReadDeadline(time.Time{})
	}
	w.mu.Unlock()
}

// redactor drops credentials from the protocol trace: LOGIN arguments and
// SASL responses never reach the debug writer.
type redactor struct {
	w       io.Writer
	mu      sync.Mutex
	inLogin bool
}

func (r *redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 2 && (strings.EqualFold(fields[1], "LOGIN") || strings.EqualFold(fields[1], "AUTHENTICATE")):
			io.WriteString(r.w, fields[0]+" "+strings.ToUpper(fields[1])+" [credentials removed]\n")
			r.inLogin = strings.EqualFold(fields[1], "AUTHENTICATE")
		case r.inLogin && !strings.HasPrefix(line, "+") && !strings.HasPrefix(line, "*") && len(fields) == 1:
			io.WriteString(r.w, "[credentials removed]\n")
		default:
			if len(fields) >= 2 && (fields[1] == "OK" || fields[1] == "NO" || fields[1] == "BAD") {
				r.inLogin = false
			}
			io.WriteString(r.w, line)
		}
	}
	return len(p), nil
}
