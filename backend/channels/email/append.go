package email

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
)

// Append stores a message in a folder (RFC 9051 section 6.3.12), flagged
// \Seen. With UIDPLUS it returns the new UID and UIDVALIDITY; else zeros.
func (s *Session) Append(ctx context.Context, folder string, raw []byte, date time.Time) (uid, uidValidity uint32, err error) {
	var d *imap.AppendData
	err = s.do(ctx, func() error {
		cmd := s.c.Append(folder, int64(len(raw)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}, Time: date})
		if _, err := cmd.Write(raw); err != nil {
			cmd.Close()
			return err
		}
		if err := cmd.Close(); err != nil {
			return err
		}
		var err error
		d, err = cmd.Wait()
		return err
	})
	if err != nil {
		return 0, 0, s.classify(fmt.Sprintf("APPEND to %q", folder), err)
	}
	return uint32(d.UID), d.UIDValidity, nil
}

// FindMessageID returns the UIDs of messages in folder whose Message-ID
// header is id (UID SEARCH HEADER, RFC 9051 section 6.4.4). The outbox asks
// this before a retry, so a message is never sent twice. It selects folder.
func (s *Session) FindMessageID(ctx context.Context, folder, id string) ([]uint32, error) {
	if _, err := s.Select(ctx, folder); err != nil {
		return nil, err
	}
	var d *imap.SearchData
	err := s.do(ctx, func() error {
		var err error
		d, err = s.c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: strings.Trim(id, "<>")}}}, nil).Wait()
		return err
	})
	if err != nil {
		return nil, s.classify("UID SEARCH HEADER Message-ID", err)
	}
	var out []uint32
	for _, u := range d.AllUIDs() {
		out = append(out, uint32(u))
	}
	return out, nil
}
