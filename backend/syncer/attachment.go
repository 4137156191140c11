package syncer

import (
	"context"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// FetchAttachment downloads one attachment that was left on the server
// (larger than the prefetch limit) and stores it, from the first folder
// that still has its message. Its message is downloaded whole
// (FetchOriginal), so the stored original gains the attachment's bytes and
// an export of the message holds it; when the whole message cannot be had
// there, just that part (BODY.PEEK[part], RFC 9051 section 6.4.5; neither
// marks the message read). It fails with an *email.Error of kind network,
// refused or timeout when the server cannot be reached, and with
// inbox.ErrNotFound when no server copy is left. An attachment already
// here is returned as it is.
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
	if src.Partial {
		orig, err := s.st.OriginalSourceOf(ctx, at.MessageID)
		if err != nil {
			return at, err
		}
		if err := s.fetchOriginal(ctx, orig, at.Name); err != nil {
			return at, err
		}
		if got, err := s.st.Attachment(ctx, id); err != nil || got.Fetched {
			return got, err
		}
	}
	sess, a, _, err := s.connectFor(ctx, src.AccountID, at.Name)
	if err != nil {
		return at, err
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
