package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/threader"
)

// outboxLocks holds one mutex per account: the window's Send and the sync
// loop may both send an account's outbox at once, and an item the other is
// sending ("sending") would look like one a crash left behind, to be sent
// again.
var outboxLocks sync.Map

func outboxLock(accountID string) *sync.Mutex {
	m, _ := outboxLocks.LoadOrStore(accountID, &sync.Mutex{})
	return m.(*sync.Mutex)
}

// maxAttempts is how often a message is tried before it is marked failed.
const maxAttempts = 8

// backoff is the wait before attempt n+1: 30 s doubling, at most an hour.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Queue writes a draft to the outbox and its copy into the conversation, in
// one transaction and before any network I/O. The message is sent by the
// next SendOutbox (a sync).
func (s *Syncer) Queue(ctx context.Context, a inbox.Account, conversationID string, d email.Draft) (inbox.OutboxItem, inbox.Message, error) {
	return s.queue(ctx, a, conversationID, d, nil)
}

// queue is Queue, with first (when not nil) run in the same transaction
// before the message is filed.
func (s *Syncer) queue(ctx context.Context, a inbox.Account, conversationID string, d email.Draft, first func(tx *sql.Tx) error) (inbox.OutboxItem, inbox.Message, error) {
	cfg, err := config(a)
	if err != nil {
		return inbox.OutboxItem{}, inbox.Message{}, err
	}
	if d.From.Address == "" {
		d.From = inbox.Address{Address: cfg.Address}
	}
	if sig := strings.TrimSpace(cfg.Signature); sig != "" && !strings.Contains(d.Text, sig) {
		d.Text = inbox.Signed(d.Text, cfg.Signature, inbox.ChannelEmail) + "\n"
	}
	d.Date = s.opts.Now()
	raw, err := email.Compose(&d)
	if err != nil {
		return inbox.OutboxItem{}, inbox.Message{}, err
	}
	p := email.Parse(raw)
	item := inbox.OutboxItem{AccountID: a.ID, MessageID: d.MessageID, Raw: raw, NextAttemptAt: s.opts.Now()}
	err = s.st.Tx(ctx, func(tx *sql.Tx) error {
		if first != nil {
			if err := first(tx); err != nil {
				return err
			}
		}
		res, err := s.th.IngestTx(ctx, tx, threader.Input{Account: &a, Own: cfg.Own(), Sent: true, Message: p.Message, ConversationID: conversationID})
		if err != nil {
			return err
		}
		item.ConversationID = res.ConversationID
		return s.st.QueueOutboxTx(ctx, tx, &item)
	})
	if err != nil {
		return inbox.OutboxItem{}, inbox.Message{}, fmt.Errorf("syncer: queue: %w", err)
	}
	s.changed(a.ID)
	return item, *p.Message, nil
}

// SendOutbox sends an account's due messages over SMTP. Before retrying a
// message that may already have left (an earlier attempt, or "sending" when
// the process died), it looks for its Message-ID in Sent: found means sent.
// After a send, the copy is appended to Sent unless the server files it
// itself. Temporary failures wait with backoff; permanent ones (5xx, or too
// many attempts) are marked failed with the server's reason.
func (s *Syncer) SendOutbox(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, folders []email.Folder) (sent, failed int, err error) {
	mu := outboxLock(a.ID)
	mu.Lock()
	defer mu.Unlock()
	sentFolder := ""
	for _, f := range folders {
		if f.Role == email.RoleSent {
			sentFolder = f.Name
		}
	}
	due, err := s.st.DueOutbox(ctx, a.ID, s.opts.Now())
	if err != nil {
		return 0, 0, err
	}
	var auth email.Auth
	if len(due) > 0 {
		if auth, err = s.auth(ctx, a, cfg); err != nil {
			return 0, 0, err
		}
	}
	for _, item := range due {
		if item.Attempts > 0 && sentFolder != "" {
			uids, err := sess.FindMessageID(ctx, sentFolder, item.MessageID)
			if err != nil {
				return sent, failed, err
			}
			if len(uids) > 0 {
				s.opts.Log.Info("outbox: found in Sent, not sending again", "account", a.Name, "outbox", item.ID)
				item.State, item.SentAt, item.LastError = inbox.OutboxSent, s.opts.Now(), ""
				if err := s.st.UpdateOutbox(ctx, item); err != nil {
					return sent, failed, err
				}
				sent++
				continue
			}
		}
		item.State = inbox.OutboxSending
		item.Attempts++
		if err := s.st.UpdateOutbox(ctx, item); err != nil {
			return sent, failed, err
		}
		p := email.Parse(item.Raw)
		rcpts := recipients(p.Message)
		serr := email.Send(ctx, cfg, auth, cfg.Address, rcpts, email.StripBcc(item.Raw), s.opts.SMTP)
		switch {
		case serr == nil:
			item.State, item.SentAt, item.LastError = inbox.OutboxSent, s.opts.Now(), ""
			sent++
		case email.IsTemporary(serr) && item.Attempts < maxAttempts:
			item.State, item.LastError = inbox.OutboxQueued, serr.Error()
			item.NextAttemptAt = s.opts.Now().Add(backoff(item.Attempts))
		default:
			item.State, item.LastError = inbox.OutboxFailed, serr.Error()
			failed++
		}
		if err := s.st.UpdateOutbox(context.WithoutCancel(ctx), item); err != nil {
			return sent, failed, err
		}
		s.opts.Log.Info("outbox", "account", a.Name, "outbox", item.ID, "state", item.State, "attempts", item.Attempts)
		if serr == nil && p.Message.InReplyTo != "" {
			s.markParentAnswered(ctx, a.ID, p.Message.InReplyTo)
		}
		s.changed(a.ID)
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
	}
	if cfg.ServerSavesSent || sentFolder == "" {
		return sent, failed, nil
	}
	return sent, failed, s.copyToSent(ctx, sess, a, cfg, sentFolder)
}

// copyToSent appends sent messages whose copy is not in Sent yet, looking
// first so that a copy is never appended twice.
func (s *Syncer) copyToSent(ctx context.Context, sess *email.Session, a inbox.Account, cfg email.Config, sentFolder string) error {
	items, err := s.st.SentWithoutCopy(ctx, a.ID, sentFolder, s.opts.Now().Add(-7*24*time.Hour))
	if err != nil {
		return err
	}
	for _, item := range items {
		uids, err := sess.FindMessageID(ctx, sentFolder, item.MessageID)
		if err != nil {
			return err
		}
		if len(uids) == 0 {
			if _, _, err := sess.Append(ctx, sentFolder, item.Raw, item.SentAt); err != nil {
				return err
			}
		}
	}
	if len(items) == 0 {
		return nil
	}
	// Pick the copies up now, so they are not looked for again.
	_, err = s.syncFolder(ctx, sess, a, cfg, email.Folder{Name: sentFolder, Role: email.RoleSent})
	return err
}

// markParentAnswered flags the message a reply answered.
func (s *Syncer) markParentAnswered(ctx context.Context, accountID, parentMessageID string) {
	ids, err := s.st.MessageIDsByHeader(ctx, accountID, parentMessageID)
	if err != nil {
		return
	}
	for _, id := range ids {
		s.st.MarkAnswered(ctx, id)
	}
	s.forceFlagCheck(ctx, accountID)
}

// forceFlagCheck makes the next sync compare every folder's flags with the
// server's (after a change the read-state fingerprint does not show, such
// as \Answered).
func (s *Syncer) forceFlagCheck(ctx context.Context, accountID string) {
	curs, err := s.st.Cursors(ctx, accountID)
	if err != nil {
		return
	}
	s.st.Tx(ctx, func(tx *sql.Tx) error {
		for scope, c := range curs {
			if !strings.HasPrefix(scope, "imap:") {
				continue
			}
			cur := parseCursor(c)
			cur.FlagCheck = 0
			if err := s.st.SetCursorTx(ctx, tx, accountID, scope, cur.String()); err != nil {
				return err
			}
		}
		return nil
	})
}

// recipients reads the envelope recipients from the stored message: To, Cc
// and Bcc (kept in our copy, stripped from what is transmitted).
func recipients(m *inbox.Message) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range [][]inbox.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range l {
			k := strings.ToLower(a.Address)
			if k != "" && !seen[k] {
				seen[k] = true
				out = append(out, a.Address)
			}
		}
	}
	return out
}
