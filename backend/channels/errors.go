package channels

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind says how a failure should be handled.
type Kind int

// Error kinds.
const (
	// KindTemporary: network trouble, a 5xx, rate limits: retry with backoff.
	KindTemporary Kind = iota + 1
	// KindPermanent: bad credentials, bad configuration: stop and tell the
	// owner what to fix.
	KindPermanent
	// KindRejected: the remote side refused this one message (the customer
	// blocked the bot, the file is too big); the account itself is fine.
	KindRejected
)

func (k Kind) String() string {
	switch k {
	case KindTemporary:
		return "temporary"
	case KindPermanent:
		return "permanent"
	case KindRejected:
		return "rejected"
	}
	return "unknown"
}

// Sentinels matching every *Error of a kind, for errors.Is.
var (
	ErrTemporary = errors.New("temporary failure")
	ErrPermanent = errors.New("permanent failure")
	ErrRejected  = errors.New("message rejected")
)

// Error is a connector failure with its kind, and for the owner what to do.
type Error struct {
	Kind Kind
	// Op is what was being done ("getUpdates", "connect").
	Op string
	// Hint tells the owner what to do about it, in one sentence.
	Hint string
	// RetryAfter is how long the remote side asked us to wait, if it said.
	RetryAfter time.Duration
	Err        error
}

// Error is the cause, prefixed by the operation unless the cause names it
// already, followed by what to do: connector errors read whole wherever
// they are printed.
func (e *Error) Error() string {
	msg := ""
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Op != "" && !strings.Contains(msg, e.Op) {
		if msg != "" {
			msg = e.Op + ": " + msg
		} else {
			msg = e.Op
		}
	}
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrPermanent) (and the other kinds) true for an
// *Error of that kind.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrTemporary:
		return e.Kind == KindTemporary
	case ErrPermanent:
		return e.Kind == KindPermanent
	case ErrRejected:
		return e.Kind == KindRejected
	}
	return false
}

// Temporary wraps err as a temporary failure of op.
func Temporary(op string, err error) error {
	return &Error{Kind: KindTemporary, Op: op, Err: err}
}

// Permanent wraps err as a permanent failure of op, with what to do.
func Permanent(op string, err error, hint string) error {
	return &Error{Kind: KindPermanent, Op: op, Err: err, Hint: hint}
}

// Rejected wraps err as the refusal of one message, with the reason shown
// next to it.
func Rejected(op string, err error, hint string) error {
	return &Error{Kind: KindRejected, Op: op, Err: err, Hint: hint}
}

// KindOf returns the kind of err. Errors that carry no kind are treated as
// temporary unless they come from a cancelled context: a connector that
// does not know is better retried than abandoned.
func KindOf(err error) Kind {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindTemporary
}

// IsTemporary reports whether err should be retried with backoff.
func IsTemporary(err error) bool { return err != nil && KindOf(err) == KindTemporary }

// IsPermanent reports whether err needs the owner to fix something.
func IsPermanent(err error) bool { return KindOf(err) == KindPermanent }

// IsRejected reports whether err is the refusal of one message only.
func IsRejected(err error) bool { return KindOf(err) == KindRejected }

// HintOf returns what to do about err, or "".
func HintOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Hint
	}
	return ""
}

// RetryAfterOf returns the wait the remote side asked for, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Describe is err with what to do, for a per-message failure or the
// account's last error.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if h := HintOf(err); h != "" && !strings.Contains(msg, h) {
		msg = fmt.Sprintf("%s (%s)", msg, h)
	}
	return msg
}

// Cause is err without what to do, for a health line that shows the hint
// on its own.
func Cause(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if h := HintOf(err); h != "" {
		msg = strings.Replace(msg, " ("+h+")", "", 1)
	}
	return msg
}
