package syncer

import (
	"context"
	"errors"
	"fmt"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// FetchAttachment downloads one attachment that was left on the server
// (larger than the prefetch limit) and stores it: just that part of its
// message (BODY.PEEK[part], RFC 9051 section 6.4.5, so nothing is marked
// read), from the first folder that still has the message. It fails with
// an *email.Error of kind network, refused or timeout when the server
// cannot be reached, and with inbox.ErrNotFound when no server copy is
// left. An attachment already here is returned as it is.
func (s *Syncer) FetchAttachment(ctx context.Context, id string) (inbox.Attachment, error) {
	src, err := s.st.AttachmentSourceOf(ctx, id)
	if err != nil {
		return inbox.Attachment{}, err
	}
	at := src.Attachment
	if at.Fetched {
		return s.st.Attachment(ctx, id)
	}
	if at.Part == "" || src.AccountID == "" {
		return at, fmt.Errorf("syncer: %s cannot be downloaded: its place in the message is unknown: %w", at.Name, inbox.ErrNotAvailable)
	}
	if len(src.Locations) == 0 {
		return at, fmt.Errorf("syncer: %s was never downloaded and its message is no longer on the server: %w", at.Name, inbox.ErrNotFound)
	}
	a, err := s.st.Account(ctx, src.AccountID)
	if err != nil {
		return at, err
	}
	sess, _, err := s.Connect(ctx, a)
	if err != nil {
		var e *email.Error
		if errors.As(err, &e) && (e.Kind == email.KindNetwork || e.Kind == email.KindRefused || e.Kind == email.KindTimeout || e.Kind == email.KindNotFound) {
			return at, fmt.Errorf("syncer: cannot download %s now: the mail server of %s cannot be reached (offline?): %w", at.Name, a.Name, err)
		}
		return at, fmt.Errorf("syncer: cannot download %s: %w", at.Name, err)
	}
	defer sess.Close()
	for _, l := range src.Locations {
		st, err := sess.Select(ctx, l.Folder)
		if err != nil || st.UIDValidity != l.UIDValidity {
			continue // the folder is gone or renumbered: try the next copy
		}
		raw, err := sess.FetchPart(ctx, l.UID, at.Part)
		if errors.Is(err, inbox.ErrNotFound) {
			continue
		}
		if err != nil {
			return at, fmt.Errorf("syncer: cannot download %s: %w", at.Name, err)
		}
		data, _ := inbox.DecodeTransfer(at.Encoding, raw)
		if err := s.st.SetAttachmentData(ctx, id, data); err != nil {
			return at, err
		}
		s.changed(a.ID)
		return s.st.Attachment(ctx, id)
	}
	return at, fmt.Errorf("syncer: %s was never downloaded and the server no longer has its message: %w", at.Name, inbox.ErrNotFound)
}
