package email

import (
	"context"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// The system flags Tidings keeps in step both ways (RFC 9051 section 2.3.2).
const (
	FlagSeen     = `\Seen`
	FlagAnswered = `\Answered`
	FlagFlagged  = `\Flagged`
	FlagDeleted  = `\Deleted`
)

// HasFlag reports whether flags contains f, ignoring case.
func HasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if strings.EqualFold(x, f) {
			return true
		}
	}
	return false
}

// SetFlags adds and removes flags on messages of the selected folder
// (UID STORE ... FLAGS.SILENT, RFC 9051 section 6.4.6).
func (s *Session) SetFlags(ctx context.Context, uids []uint32, add, remove []string) error {
	if len(uids) == 0 {
		return nil
	}
	set := uidSet(uids)
	for _, op := range []struct {
		kind  imap.StoreFlagsOp
		flags []string
	}{{imap.StoreFlagsAdd, add}, {imap.StoreFlagsDel, remove}} {
		if len(op.flags) == 0 {
			continue
		}
		fl := make([]imap.Flag, len(op.flags))
		for i, f := range op.flags {
			fl[i] = imap.Flag(f)
		}
		err := s.do(ctx, func() error {
			return s.c.Store(set, &imap.StoreFlags{Op: op.kind, Silent: true, Flags: fl}, nil).Close()
		})
		if err != nil {
			return s.classify("UID STORE", err)
		}
	}
	return nil
}
