package app

import (
	"errors"
	"fmt"
	"testing"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

func TestMailClassify(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		state string
		stop  bool
	}{
		{"refused", &email.Error{Kind: email.KindRefused, Msg: "refused", Temporary: true}, MailOffline, false},
		{"timeout", &email.Error{Kind: email.KindTimeout, Msg: "timed out", Temporary: true}, MailOffline, false},
		{"cut", fmt.Errorf("syncer: folder %q: %w", "INBOX", &email.Error{Kind: email.KindNetwork, Msg: "cut", Temporary: true}), MailOffline, false},
		{"wrong password", &email.Error{Kind: email.KindAuth, Msg: "login rejected"}, MailError, true},
		{"bad certificate", &email.Error{Kind: email.KindTLS, Msg: "unknown authority"}, MailError, true},
		{"no such host", &email.Error{Kind: email.KindNotFound, Msg: "not found"}, MailError, true},
		{"server busy (NO)", &email.Error{Kind: email.KindRejected, Msg: "SELECT refused", Temporary: true}, MailError, false},
		{"server refused (BAD)", &email.Error{Kind: email.KindRejected, Msg: "SELECT refused"}, MailError, true},
		{"no password saved", fmt.Errorf("secrets: no secret: %w", inbox.ErrNotFound), MailError, true},
		{"broken settings", fmt.Errorf("app: no IMAP server: %w", inbox.ErrInvalid), MailError, true},
		{"surprise", errors.New("disk full"), MailError, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := classify(tc.err)
			if f.state != tc.state || f.stop != tc.stop {
				t.Errorf("classify(%v) = state %q stop %v, want %q %v", tc.err, f.state, f.stop, tc.state, tc.stop)
			}
			if f.msg == "" || (f.stop && f.hint == "") {
				t.Errorf("classify(%v) = %+v: want a message, and a hint when it stops", tc.err, f)
			}
		})
	}
	if f := classify(&email.Error{Kind: email.KindAuth, Msg: "x"}); f.msg[:14] != "wrong password" {
		t.Errorf("auth message = %q, want it to start with wrong password", f.msg)
	}
}
