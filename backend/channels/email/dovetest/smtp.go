package dovetest

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPMessage is one message the SMTP server accepted.
type SMTPMessage struct {
	From string
	To   []string
	Data []byte
}

// SMTPServer is an in-process SMTP submission server (go-smtp) that records
// what it accepts. It requires AUTH PLAIN with the given user and password.
type SMTPServer struct {
	Addr string
	// Reject, when set, is returned for every RCPT TO (e.g. a 4xx or 5xx
	// *smtp.SMTPError).
	Reject   error
	user, pw string
	// CheckToken, when set, also accepts OAUTHBEARER (RFC 7628) sign-ins
	// whose token it approves.
	CheckToken func(user, token string) bool
	// XOAuth2, with CheckToken, offers Google's XOAUTH2 instead of
	// OAUTHBEARER, as Gmail and Microsoft 365 do.
	XOAuth2 bool
	mu      sync.Mutex
	got     []SMTPMessage
	srv     *smtp.Server
}

// StartSMTP runs an SMTP server on a free loopback port until cleanup.
func StartSMTP(tb testing.TB, user, password string) *SMTPServer {
	tb.Helper()
	s := &SMTPServer{user: user, pw: password}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.AllowInsecureAuth = true
	s.srv.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = l.Addr().String()
	go s.srv.Serve(l)
	tb.Cleanup(func() { s.srv.Close() })
	return s
}

// Messages returns what was accepted so far.
func (s *SMTPServer) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.got...)
}

// SetReject changes the RCPT answer.
func (s *SMTPServer) SetReject(err error) {
	s.mu.Lock()
	s.Reject = err
	s.mu.Unlock()
}

type smtpSession struct {
	s      *SMTPServer
	authed bool
	msg    SMTPMessage
}

func (ss *smtpSession) AuthMechanisms() []string {
	if ss.s.CheckToken != nil && ss.s.XOAuth2 {
		return []string{sasl.Plain, xoauth2}
	}
	if ss.s.CheckToken != nil {
		return []string{sasl.Plain, sasl.OAuthBearer}
	}
	return []string{sasl.Plain}
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech == xoauth2 && ss.s.XOAuth2 {
		return &xoauth2Server{check: func(user, token string) bool {
			ok := ss.s.CheckToken != nil && ss.s.CheckToken(user, token)
			ss.authed = ok
			return ok
		}}, nil
	}
	if mech == sasl.OAuthBearer {
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if ss.s.CheckToken == nil || !ss.s.CheckToken(o.Username, o.Token) {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			ss.authed = true
			return nil
		}), nil
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.user || password != ss.s.pw {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.msg = SMTPMessage{From: from}
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	rej := ss.s.Reject
	ss.s.mu.Unlock()
	if rej != nil {
		return rej
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(ss.msg.To) == 0 {
		return errors.New("no recipients")
	}
	ss.msg.Data = b
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, ss.msg)
	ss.s.mu.Unlock()
	return nil
}

func (ss *smtpSession) Reset()        { ss.msg = SMTPMessage{} }
func (ss *smtpSession) Logout() error { return nil }
