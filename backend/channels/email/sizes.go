package email

import (
	"context"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Sizes fetches the sizes of uids (UID FETCH (RFC822.SIZE), RFC 9051
// section 7.5.2) and nothing else: what a sync needs to cut its downloads
// into batches of a few megabytes. UIDs the server no longer has are left
// out. Like Metas with sizes, it may make the server read each message,
// and a server that cannot read one may drop the connection (Dovecot does).
func (s *Session) Sizes(ctx context.Context, uids []uint32) (map[uint32]int64, error) {
	out := make(map[uint32]int64, len(uids))
	if len(uids) == 0 {
		return out, nil
	}
	opts := &imap.FetchOptions{UID: true, RFC822Size: true}
	err := s.do(ctx, func() error {
		return eachFetched(s.c.Fetch(uidSet(uids), opts), func(buf *imapclient.FetchMessageBuffer) { out[uint32(buf.UID)] = buf.RFC822Size })
	})
	if err != nil {
		return nil, s.classify("UID FETCH (RFC822.SIZE)", err)
	}
	return out, nil
}
