package email

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// FolderState is what SELECT tells about a folder (RFC 9051 section
// 6.3.2; HIGHESTMODSEQ from CONDSTORE, RFC 7162 section 3.1.2.1).
type FolderState struct {
	Name          string
	UIDValidity   uint32
	UIDNext       uint32
	HighestModSeq uint64
	Messages      uint32
	// CondStore is set when the server keeps mod-sequences for this folder.
	CondStore bool
}

// Select opens a folder read-write (flags are written back), with CONDSTORE
// when the server has it.
func (s *Session) Select(ctx context.Context, name string) (FolderState, error) {
	var d *imap.SelectData
	cond := s.Has("CONDSTORE")
	err := s.do(ctx, func() error {
		var err error
		d, err = s.c.Select(name, &imap.SelectOptions{CondStore: cond}).Wait()
		return err
	})
	if err != nil {
		s.selected = ""
		return FolderState{}, s.classify(fmt.Sprintf("SELECT %q", name), err)
	}
	s.selected = name
	st := FolderState{Name: name, UIDValidity: d.UIDValidity, UIDNext: uint32(d.UIDNext), HighestModSeq: d.HighestModSeq, Messages: d.NumMessages}
	st.CondStore = cond && d.HighestModSeq > 0
	return st, nil
}

// UIDs returns every UID in the selected folder (UID SEARCH ALL), sorted.
// An expunge is found by comparing this list with what the store holds.
func (s *Session) UIDs(ctx context.Context) ([]uint32, error) {
	var d *imap.SearchData
	err := s.do(ctx, func() error {
		var err error
		d, err = s.c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
		return err
	})
	if err != nil {
		return nil, s.classify("UID SEARCH", err)
	}
	uids := d.AllUIDs()
	out := make([]uint32, len(uids))
	for i, u := range uids {
		out[i] = uint32(u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// Meta is a message's state on the server.
type Meta struct {
	UID          uint32
	Flags        []string
	ModSeq       uint64
	Size         int64
	InternalDate time.Time
	// MessageID is set by Identities.
	MessageID string
}

// Metas fetches flags for uids (nil means the whole folder), only those
// changed since changedSince when it is not 0 (CONDSTORE CHANGEDSINCE, RFC
// 7162 section 3.1.4); with sizes also their size and arrival time. Flags
// come from the server's index; sizes may make it read every message, and
// a server that cannot read one may drop the connection (Dovecot does).
func (s *Session) Metas(ctx context.Context, uids []uint32, changedSince uint64, sizes bool) ([]Meta, error) {
	set := uidSet(uids)
	if uids == nil {
		set = imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}
	} else if len(uids) == 0 {
		return nil, nil
	}
	opts := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: sizes, InternalDate: sizes, ModSeq: s.Has("CONDSTORE"), ChangedSince: changedSince}
	var out []Meta
	err := s.do(ctx, func() error {
		return eachFetched(s.c.Fetch(set, opts), func(buf *imapclient.FetchMessageBuffer) { out = append(out, metaOf(buf)) })
	})
	if err != nil {
		return nil, s.classify("UID FETCH (FLAGS)", err)
	}
	return out, nil
}

// Identities fetches flags, size and the Message-ID header of uids (BODY.PEEK
// [HEADER.FIELDS (MESSAGE-ID)]), enough to recognise messages already
// stored after a UIDVALIDITY change without downloading them again.
func (s *Session) Identities(ctx context.Context, uids []uint32) ([]Meta, error) {
	if len(uids) == 0 {
		return nil, nil
	}
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID"}, Peek: true}
	opts := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: s.Has("CONDSTORE"),
		BodySection: []*imap.FetchItemBodySection{section}}
	var out []Meta
	err := s.do(ctx, func() error {
		bufs, err := collectFetch(s.c.Fetch(uidSet(uids), opts))
		for _, b := range bufs {
			if b.UID == 0 {
				continue
			}
			m := metaOf(b)
			h, _, _ := parseHeader(b.FindBodySection(section), maxHeaderBytes)
			m.MessageID = firstMsgID(h.Get("Message-ID"))
			out = append(out, m)
		}
		return err
	})
	if err != nil {
		return nil, s.classify("UID FETCH (Message-ID)", err)
	}
	return out, nil
}

// eachFetched collects a FETCH command's messages one at a time (no
// literals: flags, sizes, dates) and calls fn for each that has a UID.
func eachFetched(cmd *imapclient.FetchCommand, fn func(*imapclient.FetchMessageBuffer)) error {
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		buf, err := msg.Collect()
		if err != nil {
			cmd.Close()
			return err
		}
		if buf.UID != 0 {
			fn(buf)
		}
	}
	return cmd.Close()
}

func metaOf(buf *imapclient.FetchMessageBuffer) Meta {
	m := Meta{UID: uint32(buf.UID), ModSeq: buf.ModSeq, Size: buf.RFC822Size, InternalDate: buf.InternalDate}
	for _, f := range buf.Flags {
		m.Flags = append(m.Flags, string(f))
	}
	return m
}

// Fetched is one downloaded message.
type Fetched struct {
	Meta
	Raw []byte
	// Err says why the server would not give this message (Raw is nil);
	// the sync leaves it for the next run instead of failing the folder.
	Err string
}

// Fetch downloads whole messages (BODY.PEEK[], so nothing is marked read)
// in the given batches, keeping up to `fetchDepth` UID FETCH commands in
// flight so the server streams the next batches while fn stores the current
// one. Each command is drained by its own goroutine: servers such as Dovecot
// may start answering a pipelined command before the previous one's tagged
// reply. fn gets each batch in order; UIDs the server no longer has are left
// out.
func (s *Session) Fetch(ctx context.Context, batches [][]uint32, fn func([]Fetched) error) error {
	next := 0
	return s.FetchFrom(ctx, func() ([]uint32, error) {
		if next == len(batches) {
			return nil, nil
		}
		next++
		return batches[next-1], nil
	}, fn)
}

// FetchFrom is Fetch with the batches cut as it goes: next returns the next
// batch (nil when there is none left), and may block until it is known, for
// example while the sizes of later messages are still being fetched on the
// same connection (commands with disjoint UID sets may be in flight
// together). An error from next ends the fetch with that error.
func (s *Session) FetchFrom(ctx context.Context, next func() ([]uint32, error), fn func([]Fetched) error) error {
	opts := &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true, InternalDate: true, ModSeq: s.Has("CONDSTORE"),
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}}
	section := opts.BodySection[0]
	type result = fetchResult
	collect := func(uids []uint32) result {
		bufs, err := collectFetch(s.c.Fetch(uidSet(uids), opts))
		r := result{err: err}
		for _, b := range bufs {
			if b.UID != 0 {
				r.got = append(r.got, Fetched{Meta: metaOf(b), Raw: b.FindBodySection(section)})
			}
		}
		return r
	}
	return s.do(ctx, func() error {
		var inflight []chan result
		var uids [][]uint32 // of the batches in flight
		ended := false
		issue := func() error {
			for len(inflight) < fetchDepth && !ended {
				b, err := next()
				if err != nil {
					s.c.Close()
					return err
				}
				if b == nil {
					ended = true
					break
				}
				ch := make(chan result, 1)
				go func() { ch <- collect(b) }()
				inflight, uids = append(inflight, ch), append(uids, b)
			}
			return nil
		}
		defer func() {
			for _, ch := range inflight {
				<-ch // the collectors end when the connection does
			}
		}()
		if err := issue(); err != nil {
			return err
		}
		for len(inflight) > 0 {
			r := <-inflight[0]
			batch := uids[0]
			inflight, uids = inflight[1:], uids[1:]
			var refused *imap.Error
			if errors.As(r.err, &refused) {
				// The server refused the batch (a message it cannot read,
				// Office 365's odd replies): the connection is fine, so
				// fetch the batch's messages one by one and skip only
				// those that fail.
				r.got, r.err = s.fetchEach(batch, r.got, collect)
			}
			if r.err != nil {
				s.c.Close() // the rest of the pipeline is worthless now
				return s.classify("UID FETCH", r.err)
			}
			if err := issue(); err != nil {
				return err
			}
			if err := fn(r.got); err != nil {
				s.c.Close()
				return err
			}
		}
		return nil
	})
}

// fetchEach fetches the UIDs of a refused batch that are not in got one at
// a time; a message the server still refuses comes back with Err set.
func (s *Session) fetchEach(uids []uint32, got []Fetched, collect func([]uint32) fetchResult) ([]Fetched, error) {
	have := map[uint32]bool{}
	for _, g := range got {
		have[g.UID] = true
	}
	for _, u := range uids {
		if have[u] {
			continue
		}
		r := collect([]uint32{u})
		var refused *imap.Error
		switch {
		case errors.As(r.err, &refused):
			got = append(got, Fetched{Meta: Meta{UID: u}, Err: refused.Text})
		case r.err != nil:
			return got, r.err
		default:
			got = append(got, r.got...)
		}
	}
	return got, nil
}

// fetchResult is one UID FETCH's outcome.
type fetchResult struct {
	got []Fetched
	err error
}

// fetchDepth is how many UID FETCH commands are in flight at once.
const fetchDepth = 2

// uidSet builds a compact UID set.
func uidSet(uids []uint32) imap.UIDSet {
	var set imap.UIDSet
	for _, u := range uids {
		set.AddNum(imap.UID(u))
	}
	return set
}
