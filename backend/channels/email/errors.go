package email

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// Kind says what went wrong with a connection, so that the account form can
// say exactly that and the syncer can decide whether to retry.
type Kind string

// Error kinds.
const (
	KindNotFound   Kind = "name-not-found"
	KindRefused    Kind = "refused"
	KindTimeout    Kind = "timeout"
	KindTLS        Kind = "tls"
	KindAuth       Kind = "auth"
	KindCapability Kind = "capability"
	KindNetwork    Kind = "network"
	KindProtocol   Kind = "protocol"
	KindRejected   Kind = "rejected"
)

// Error is a connection or protocol failure with its kind.
type Error struct {
	Kind Kind
	// Server is "IMAP host:port" or "SMTP host:port".
	Server string
	// Msg says what went wrong in words for the user.
	Msg string
	// Temporary is true when retrying later may succeed (network trouble,
	// 4xx replies); false for bad settings, rejected logins, 5xx replies.
	Temporary bool
	Err       error
}

func (e *Error) Error() string {
	s := "email: " + e.Server + ": " + e.Msg
	if e.Err != nil && !strings.Contains(e.Msg, e.Err.Error()) {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is worth retrying later. Unknown errors
// count as temporary: never give up on mail because of a surprise.
func IsTemporary(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Temporary
	}
	return true
}

// classifyDial turns a dial or TLS handshake error into an *Error.
func classifyDial(server, host string, err error) error {
	var dnsErr *net.DNSError
	var certInvalid x509.CertificateInvalidError
	var hostErr x509.HostnameError
	var unknownAuth x509.UnknownAuthorityError
	var tlsVerify *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return &Error{Kind: KindNotFound, Server: server, Msg: fmt.Sprintf("the name %q was not found (check the spelling of the server name)", host), Err: err}
	case errors.As(err, &dnsErr):
		return &Error{Kind: KindNetwork, Server: server, Msg: fmt.Sprintf("could not look up %q (is this machine online?)", host), Temporary: true, Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Kind: KindRefused, Server: server, Msg: "the connection was refused (wrong port, or the server is down)", Temporary: true, Err: err}
	case errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err):
		return &Error{Kind: KindTimeout, Server: server, Msg: "the connection timed out (wrong host or port, or a firewall)", Temporary: true, Err: err}
	case errors.As(err, &hostErr):
		return &Error{Kind: KindTLS, Server: server, Msg: fmt.Sprintf("the TLS certificate is not valid for host %q: it is for %s", host, certNames(hostErr.Certificate)), Err: err}
	case errors.As(err, &unknownAuth):
		return &Error{Kind: KindTLS, Server: server, Msg: fmt.Sprintf("the TLS certificate of %q is signed by an unknown authority (self-signed or missing intermediate: %s)", host, unknownAuth.Cert.Issuer.CommonName), Err: err}
	case errors.As(err, &certInvalid):
		why := "invalid"
		switch certInvalid.Reason {
		case x509.Expired:
			why = fmt.Sprintf("expired or not yet valid (valid %s to %s)", certInvalid.Cert.NotBefore.Format(time.DateOnly), certInvalid.Cert.NotAfter.Format(time.DateOnly))
		case x509.NotAuthorizedToSign:
			why = "signed by a certificate that may not sign others"
		case x509.IncompatibleUsage:
			why = "not meant for servers"
		}
		return &Error{Kind: KindTLS, Server: server, Msg: fmt.Sprintf("the TLS certificate of %q is %s", host, why), Err: err}
	case errors.As(err, &tlsVerify):
		return &Error{Kind: KindTLS, Server: server, Msg: fmt.Sprintf("the TLS certificate of %q could not be verified", host), Err: err}
	case errors.As(err, &recordErr):
		return &Error{Kind: KindTLS, Server: server, Msg: "the server does not speak TLS on this port (try starttls, or the other port)", Err: err}
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed):
		return &Error{Kind: KindNetwork, Server: server, Msg: "the connection was cut", Temporary: true, Err: err}
	}
	return &Error{Kind: KindNetwork, Server: server, Msg: "could not connect", Temporary: true, Err: err}
}

// tlsFailure reports whether err is a TLS handshake or certificate error.
func tlsFailure(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certInvalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	return errors.As(err, &verify) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &certInvalid) || errors.As(err, &record)
}

func isTimeout(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// go-imap flattens read errors into text ("in response-data: ...").
	return strings.Contains(err.Error(), "i/o timeout")
}

func certNames(c *x509.Certificate) string {
	if c == nil {
		return "another host"
	}
	names := c.DNSNames
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = []string{c.Subject.CommonName}
	}
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return "no host name"
	}
	if len(names) > 4 {
		names = append(names[:4], "...")
	}
	return strings.Join(names, ", ")
}
