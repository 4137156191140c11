package emailconn

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
)

// Cursor is a folder's position: its UIDVALIDITY and the highest UID
// returned. UIDs only grow within one UIDVALIDITY (RFC 9051 section
// 2.3.1.1), so everything above UID is new; a new UIDVALIDITY starts the
// folder again from the bottom, and the messages already stored are
// recognised by their content (threader.MessageIDFor), not stored twice.
type Cursor struct {
	UIDValidity uint32
	UID         uint32
}

// Scope names a folder's cursor in sync_cursors. It differs from the email
// syncer's "imap:" scopes, so both can run on one account.
func Scope(folder string) string { return "folder:" + folder }

// String is the cursor as saved: "UIDVALIDITY/UID".
func (c Cursor) String() string { return fmt.Sprintf("%d/%d", c.UIDValidity, c.UID) }

// ParseCursor reads a saved cursor; an empty or damaged one is the start.
func ParseCursor(s string) Cursor {
	v, u, ok := strings.Cut(s, "/")
	if !ok {
		return Cursor{}
	}
	uv, err1 := strconv.ParseUint(v, 10, 32)
	uid, err2 := strconv.ParseUint(u, 10, 32)
	if err1 != nil || err2 != nil {
		return Cursor{}
	}
	return Cursor{UIDValidity: uint32(uv), UID: uint32(uid)}
}

// fetchChunk is how many messages one UID FETCH asks for.
const fetchChunk = 50

// Receive returns the messages above each folder's cursor, oldest first,
// Inbox first, at most Options.BatchMessages, with the cursors that cover
// them. A message the server refuses to serve comes back as a reject with
// its reason, so the cursor passes it without losing it. When nothing is
// new it waits in IDLE for up to Options.Wait. A failed connection is
// dropped and the next call connects again.
func (c *Connector) Receive(ctx context.Context, cursors map[string]string) (channels.Batch, error) {
	if err := c.Connect(ctx); err != nil {
		return channels.Batch{}, err
	}
	b := channels.Batch{Threads: true, Own: c.opt.Config.Aliases, Cursors: map[string]string{}}
	budget := c.opt.BatchMessages
	for _, f := range c.folders {
		if budget <= 0 {
			break
		}
		n, err := c.receiveFolder(ctx, f, ParseCursor(cursors[Scope(f.Name)]), budget, &b)
		if err != nil {
			c.drop()
			return channels.Batch{}, err
		}
		budget -= n
	}
	if len(b.Cursors) == 0 {
		b.Cursors = nil
	}
	if b.Empty() && c.opt.Wait > 0 {
		if err := c.wait(ctx); err != nil {
			c.drop()
			return channels.Batch{}, err
		}
	}
	return b, nil
}

// noIdlePoll is how long Receive waits when the server has no IDLE.
const noIdlePoll = 30 * time.Second

// wait waits for news in the inbox: in IDLE (RFC 2177) up to Options.Wait,
// or, on a server without IDLE, a polling pause, so that a loop calling
// Receive never hammers the server.
func (c *Connector) wait(ctx context.Context) error {
	if _, err := c.sess.Select(ctx, c.folders[0].Name); err != nil {
		return classify("SELECT", err)
	}
	_, err := c.sess.Idle(ctx, c.opt.Wait)
	switch {
	case errors.Is(err, email.ErrNoIdle):
		t := time.NewTimer(min(c.opt.Wait, noIdlePoll))
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		return nil
	case err != nil && ctx.Err() == nil:
		return classify("IDLE", err)
	}
	return nil
}

// receiveFolder adds up to budget new messages of one folder to b and
// returns how many UIDs it covered.
func (c *Connector) receiveFolder(ctx context.Context, f email.Folder, cur Cursor, budget int, b *channels.Batch) (int, error) {
	st, err := c.sess.Select(ctx, f.Name)
	if err != nil {
		return 0, classify("SELECT", err)
	}
	if st.UIDValidity == 0 {
		return 0, channels.Temporary("SELECT", fmt.Errorf("emailconn: the server gave %q no UIDVALIDITY", f.Name))
	}
	if cur.UIDValidity != st.UIDValidity {
		cur = Cursor{UIDValidity: st.UIDValidity}
		b.Cursors[Scope(f.Name)] = cur.String()
	}
	if st.UIDNext != 0 && st.UIDNext <= cur.UID+1 {
		return 0, nil // nothing above the cursor
	}
	todo, err := c.sess.UIDsAbove(ctx, cur.UID)
	if err != nil {
		return 0, classify("UID SEARCH", err)
	}
	if len(todo) > budget {
		todo = todo[:budget]
	}
	if len(todo) == 0 {
		return 0, nil
	}
	var chunks [][]uint32
	for i := 0; i < len(todo); i += fetchChunk {
		chunks = append(chunks, todo[i:min(i+fetchChunk, len(todo))])
	}
	var got []email.Fetched
	err = c.sess.Fetch(ctx, chunks, func(fs []email.Fetched) error {
		got = append(got, fs...)
		return nil
	})
	if err != nil {
		return 0, classify("UID FETCH", err)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].UID < got[j].UID })
	for _, g := range got {
		in, rej, ok := c.inbound(f, st.UIDValidity, g)
		switch {
		case rej != nil:
			b.Rejects = append(b.Rejects, *rej)
		case ok:
			b.Messages = append(b.Messages, in)
		}
	}
	// UIDs the server no longer has were expunged meanwhile: passed.
	cur.UID = todo[len(todo)-1]
	b.Cursors[Scope(f.Name)] = cur.String()
	return len(todo), nil
}
