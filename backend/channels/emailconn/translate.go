package emailconn

import (
	"fmt"
	"strings"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/threader"
)

// inbound turns one fetched message into an Inbound: parsed by email.Parse
// (which never fails: unreadable mail keeps its bytes and says why), its
// ID derived from its content as the syncer derives it, direction out when
// it is in Sent or from one of our addresses. A message the server would
// not serve is a reject; one it no longer has is skipped (ok false).
func (c *Connector) inbound(f email.Folder, uidValidity uint32, g email.Fetched) (in channels.Inbound, rej *channels.Reject, ok bool) {
	if g.Raw == nil {
		if g.Err == "" {
			return in, nil, false
		}
		return in, &channels.Reject{Key: fmt.Sprintf("%s/%d/%d", f.Name, uidValidity, g.UID),
			Reason: "emailconn: the server would not serve this message: " + g.Err}, false
	}
	p := email.Parse(g.Raw)
	m := *p.Message
	m.ID = threader.MessageIDFor(c.opt.Account.ID, m.ContentHash)
	m.AccountID = c.opt.Account.ID
	m.ReceivedAt = g.InternalDate.UTC()
	if m.Date.IsZero() {
		m.Date = m.ReceivedAt
	}
	m.Read = email.HasFlag(g.Flags, email.FlagSeen)
	m.Flagged = email.HasFlag(g.Flags, email.FlagFlagged)
	who := m.From
	if f.Role == email.RoleSent || c.own[strings.ToLower(m.From.Address)] {
		m.Direction = inbox.Out
		who = inbox.Address{}
		for _, l := range [][]inbox.Address{m.To, m.Cc, m.Bcc} {
			for _, a := range l {
				if who.Address == "" && !c.own[strings.ToLower(a.Address)] {
					who = a
				}
			}
		}
	}
	in = channels.Inbound{Thread: threadRoot(m), Message: m, Warnings: p.Warnings}
	in.Sender = inbox.Identity{Channel: inbox.ChannelEmail, Display: who.Name}
	if addr, err := inbox.NormalizeAddress(inbox.ChannelEmail, who.Address); err == nil {
		in.Sender.Address = addr
	}
	return in, nil, true
}

// threadRoot is the Message-ID of the first message of m's thread as far
// as m knows it (RFC 5322 section 3.6.4: the first References entry), the
// route a reply's References start from.
func threadRoot(m inbox.Message) string {
	switch {
	case len(m.References) > 0:
		return m.References[0]
	case m.InReplyTo != "":
		return m.InReplyTo
	case m.MessageID != "":
		return m.MessageID
	}
	return "hash:" + m.ContentHash
}
