package emailconn

import (
	"context"
	"errors"
	"strings"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
)

// Hints: what the owner does about a permanent failure.
const (
	hintLogin      = "check the user name and password (or app password) in the account settings; for Gmail or Outlook, sign in again"
	hintHost       = "check the server name in the account settings"
	hintTLS        = "check the security setting (tls or starttls) and the port in the account settings"
	hintCapability = "choose another security setting or port in the account settings"
	hintRefused    = "Tidings retries by itself; if this lasts, check the server's port in the account settings"
	hintSender     = "the server does not let this account send from its address: check the address in the account settings"
)

// classify turns an email failure into a channels error: a rejected login,
// an unknown host name, a bad certificate or a missing capability are
// permanent, with what to fix; a refused or timed-out connection, a cut
// one or a 4xx reply are temporary.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return channels.Temporary(op, err)
	}
	var ce *channels.Error
	if errors.As(err, &ce) {
		return err
	}
	var e *email.Error
	if !errors.As(err, &e) {
		return channels.Temporary(op, err)
	}
	switch e.Kind {
	case email.KindAuth:
		return channels.Permanent(op, err, hintLogin)
	case email.KindNotFound:
		return channels.Permanent(op, err, hintHost)
	case email.KindTLS:
		return channels.Permanent(op, err, hintTLS)
	case email.KindCapability:
		return channels.Permanent(op, err, hintCapability)
	case email.KindRefused:
		return &channels.Error{Kind: channels.KindTemporary, Op: op, Err: err, Hint: hintRefused}
	}
	return channels.Temporary(op, err)
}

// classifySend is classify for a submission: a 5xx reply to the sender
// address is the account's problem, a 5xx to a recipient or the message
// refuses this message only (a bad address, a file too big).
func classifySend(err error) error {
	var e *email.Error
	if errors.As(err, &e) && e.Kind == email.KindRejected && !e.Temporary {
		if strings.HasPrefix(e.Msg, "MAIL FROM") {
			return channels.Permanent("send", err, hintSender)
		}
		return channels.Rejected("send", err, "the mail server refused this message: check the address and the size of its files")
	}
	return classify("send", err)
}
