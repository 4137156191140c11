package email

import (
	"context"
	"sort"

	"github.com/emersion/go-imap/v2"
)

// UIDsAbove returns the UIDs above uid in the selected folder, sorted (UID
// SEARCH UID uid+1:*). Since "*" is the highest UID present, a server
// answers "n:*" with the last message even when nothing is above uid
// (RFC 9051 section 6.4.4, "sequence set"): those are left out.
func (s *Session) UIDsAbove(ctx context.Context, uid uint32) ([]uint32, error) {
	var d *imap.SearchData
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(uid + 1), Stop: 0}}}}
	err := s.do(ctx, func() error {
		var err error
		d, err = s.c.UIDSearch(crit, nil).Wait()
		return err
	})
	if err != nil {
		return nil, s.classify("UID SEARCH UID", err)
	}
	var out []uint32
	for _, u := range d.AllUIDs() {
		if uint32(u) > uid {
			out = append(out, uint32(u))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}
