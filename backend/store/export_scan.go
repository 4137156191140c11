package store

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"tidings/backend/inbox"
)

// ScanOptions choose what ScanMessages loads with each message.
type ScanOptions struct {
	// Raw loads the original bytes into Message.Raw.
	Raw bool
	// AttachmentData loads attachment bytes, not only their metadata.
	AttachmentData bool
	// DataOnlyWithoutRaw limits AttachmentData to messages that have no
	// original bytes (which already carry their attachments), and the text
	// and HTML bodies, the To, Cc and Bcc lists and the References likewise:
	// a writer of originals needs none of them.
	DataOnlyWithoutRaw bool
}

// scanColumns is messageColumns, with the bodies left out where the
// original is loaded and o says they are not needed.
func scanColumns(o ScanOptions) string {
	text, html, to, cc, bcc, refs := `m.body_text`, `m.body_html`, `m.to_json`, `m.cc_json`, `m.bcc_json`, `m.references_json`
	if o.Raw && o.DataOnlyWithoutRaw {
		unlessRaw := func(col, empty string) string {
			return `CASE WHEN r.seq IS NULL THEN ` + col + ` ELSE '` + empty + `' END`
		}
		text, html = unlessRaw(text, ""), unlessRaw(html, "")
		to, cc, bcc, refs = unlessRaw(to, "[]"), unlessRaw(cc, "[]"), unlessRaw(bcc, "[]"), unlessRaw(refs, "[]")
	}
	return `m.seq, m.id, m.conversation_id, COALESCE(m.account_id, ''), m.channel, m.direction, m.sent_at, m.received_at,
	m.from_name, m.from_addr, ` + to + `, ` + cc + `, ` + bcc + `, m.subject, ` + text + `, ` + html + `, m.message_id, m.in_reply_to,
	` + refs + `, m.auto, m.is_read, m.flagged, m.thread_reason, m.parse_error, m.content_hash`
}

// scanBatch is how many conversations one ScanMessages query covers.
const scanBatch = 200

// CountMessages returns how many messages the conversations hold, for
// progress reports.
func (s *Store) CountMessages(ctx context.Context, conversationIDs []string) (int, error) {
	total := 0
	for start := 0; start < len(conversationIDs); start += 500 {
		end := min(start+500, len(conversationIDs))
		in, args := inList(conversationIDs[start:end])
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE conversation_id IN (`+in+`)`, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("store: count messages: %w", err)
		}
		total += n
	}
	return total, nil
}

// AllConversationIDs returns every conversation's ID, newest first.
func (s *Store) AllConversationIDs(ctx context.Context) ([]string, error) {
	return stringColumn(ctx, s.db, `SELECT id FROM conversations ORDER BY last_message_at DESC, id DESC`)
}

// ScanMessages calls fn for every message of the conversations, one
// conversation after the other in the order given, each conversation's
// messages oldest first. It streams: memory stays bounded by a few thousand
// messages per core, however the conversations are sized. fn must not keep
// m.Raw or attachment data after returning.
//
// Reading rows is most of the work once originals decompress cheaply, so
// chunks of about scanChunk messages are read on several connections at
// once (scanReaders), and handed to fn in order.
func (s *Store) ScanMessages(ctx context.Context, conversationIDs []string, o ScanOptions, fn func(m *inbox.Message) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// Return only once every reader has stopped.
	defer wg.Wait()
	defer cancel()
	size := scanChunk
	readers := scanReaders()
	order := make(chan *scanJob, readers)
	work := make(chan *scanJob)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		defer close(work)
		for start := 0; start < len(conversationIDs); start += scanBatch {
			batch := conversationIDs[start:min(start+scanBatch, len(conversationIDs))]
			chunks, err := s.chunks(ctx, batch, size)
			if err != nil {
				j := &scanJob{out: make(chan loaded, 1)}
				j.out <- loaded{err: err}
				close(j.out)
				select {
				case order <- j:
				case <-ctx.Done():
				}
				return
			}
			for _, c := range chunks {
				j := &scanJob{c: c, out: make(chan loaded, 1)}
				select {
				case order <- j:
				case <-ctx.Done():
					return
				}
				select {
				case work <- j:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	for r := 0; r < readers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				s.readChunk(ctx, j, o, size)
			}
		}()
	}
	for j := range order {
		for {
			var l loaded
			var more bool
			select {
			case l, more = <-j.out:
			case <-ctx.Done(): // j may never have reached a reader
				return ctx.Err()
			}
			if !more {
				break
			}
			if l.err != nil {
				return l.err
			}
			for _, id := range l.ids {
				for i := range l.byConv[id] {
					if err := fn(&l.byConv[id][i]); err != nil {
						return err
					}
				}
			}
		}
	}
	return ctx.Err()
}

// scanReaders is how many connections ScanMessages reads on: one per core,
// leaving at least one of the pool's four to the rest of the program.
func scanReaders() int { return max(1, min(runtime.GOMAXPROCS(0), 3)) }

// scanMmap is how much of the file a scanning connection maps into memory:
// reading originals through the page cache costs a system call and a copy
// per 4 KiB page, and most of a store is originals.
const scanMmap = 1 << 30

// withScanConn runs read on a connection of its own that reads through
// mmap, then gives the connection back to the pool as it was. A reader
// holds a connection only while its query runs, never while it waits for
// the consumer: two scans at once (or a callback that queries) can then
// never wait on each other for the pool's four connections.
func (s *Store) withScanConn(ctx context.Context, read func(q queryer) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: scan messages: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA mmap_size = %d`, scanMmap)); err == nil {
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA mmap_size = 0`)
	}
	return read(conn)
}

// scanJob is one chunk to read; its pages arrive on out, which is closed
// after the last one (or an error).
type scanJob struct {
	c   chunk
	out chan loaded
}

// loaded is a page of messages read, grouped by conversation.
type loaded struct {
	ids    []string
	byConv map[string][]inbox.Message
	err    error
}

// readChunk reads j's messages: in one query, or a page at a time for one
// large conversation.
func (s *Store) readChunk(ctx context.Context, j *scanJob, o ScanOptions, size int) {
	defer close(j.out)
	send := func(l loaded) bool {
		select {
		case j.out <- l:
			return l.err == nil
		case <-ctx.Done():
			return false
		}
	}
	c := j.c
	var l loaded
	if !c.paged {
		l.ids = c.ids
		l.err = s.withScanConn(ctx, func(q queryer) (err error) {
			l.byConv, _, err = s.scanWhere(ctx, q, inClause(c.ids), inArgs(c.ids), "", o)
			return err
		})
		send(l)
		return
	}
	var after lastRow
	after.seq = -1
	for {
		l := loaded{ids: c.ids}
		var last lastRow
		l.err = s.withScanConn(ctx, func(q queryer) (err error) {
			l.byConv, last, err = s.scanWhere(ctx, q, `m.conversation_id = ? AND (m.sent_at, m.seq) > (?, ?)`,
				[]any{c.ids[0], after.sent, after.seq}, fmt.Sprintf(" LIMIT %d", size), o)
			return err
		})
		if !send(l) || len(l.byConv[c.ids[0]]) < size {
			return
		}
		after = last
	}
}

// scanChunk is about how many messages one read holds (a variable for
// tests).
var scanChunk = 2000

type chunk struct {
	ids   []string
	paged bool // one conversation larger than a chunk
}

// chunks splits a batch of conversations into reads of about size
// messages, in order.
func (s *Store) chunks(ctx context.Context, ids []string, size int) ([]chunk, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT m.conversation_id, count(*) FROM messages m WHERE `+inClause(ids)+` GROUP BY m.conversation_id`, inArgs(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: scan messages: %w", err)
	}
	counts := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []chunk
	var cur []string
	n := 0
	for _, id := range ids {
		c := counts[id]
		if c > size {
			if len(cur) > 0 {
				out = append(out, chunk{ids: cur})
				cur, n = nil, 0
			}
			out = append(out, chunk{ids: []string{id}, paged: true})
			continue
		}
		if n+c > size && len(cur) > 0 {
			out = append(out, chunk{ids: cur})
			cur, n = nil, 0
		}
		cur = append(cur, id)
		n += c
	}
	if len(cur) > 0 {
		out = append(out, chunk{ids: cur})
	}
	return out, nil
}

func inClause(ids []string) string { in, _ := inList(ids); return `m.conversation_id IN (` + in + `)` }
func inArgs(ids []string) []any    { _, a := inList(ids); return a }

// lastRow is the position of the last message a scan returned.
type lastRow struct{ sent, seq int64 }

// scanWhere reads the messages matching where (with their originals and
// attachments as o asks), grouped by conversation.
func (s *Store) scanWhere(ctx context.Context, q queryer, where string, args []any, limit string, o ScanOptions) (map[string][]inbox.Message, lastRow, error) {
	var last lastRow
	rawCols := `, '', 0, NULL`
	rawJoin := ``
	if o.Raw {
		rawCols = `, COALESCE(r.compression, ''), COALESCE(r.size, 0), r.data`
		rawJoin = ` LEFT JOIN message_raw r ON r.seq = m.seq`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+scanColumns(o)+`, m.has_attachments`+rawCols+` FROM messages m`+rawJoin+
		` WHERE `+where+` ORDER BY m.conversation_id, m.sent_at, m.seq`+limit, args...)
	if err != nil {
		return nil, last, fmt.Errorf("store: scan messages: %w", err)
	}
	out := map[string][]inbox.Message{}
	withFiles := map[int64]msgRef{}
	var packed []packedRaw
	var fileSeqs []any
	needData := map[int64]bool{}
	for rows.Next() {
		var m inbox.Message
		var seq, sent, recv int64
		var hasAtt bool
		var comp string
		var size int
		var data []byte
		var ch, dir, to, cc, bcc, refs, reason string
		if err := rows.Scan(&seq, &m.ID, &m.ConversationID, &m.AccountID, &ch, &dir, &sent, &recv, &m.From.Name, &m.From.Address,
			&to, &cc, &bcc, &m.Subject, &m.Text, &m.HTML, &m.MessageID, &m.InReplyTo, &refs, &m.Auto, &m.Read, &m.Flagged,
			&reason, &m.ParseError, &m.ContentHash, &hasAtt, &comp, &size, &data); err != nil {
			rows.Close()
			return nil, last, fmt.Errorf("store: scan messages: %w", err)
		}
		last = lastRow{sent, seq}
		fillMessage(&m, ch, dir, reason, sent, recv, to, cc, bcc, refs)
		if comp != "" {
			packed = append(packed, packedRaw{conv: m.ConversationID, i: len(out[m.ConversationID]), comp: comp, size: size, data: data})
		}
		if hasAtt {
			needData[seq] = o.AttachmentData && (!o.DataOnlyWithoutRaw || comp == "")
			withFiles[seq] = msgRef{m.ConversationID, len(out[m.ConversationID])}
			fileSeqs = append(fileSeqs, seq)
		}
		out[m.ConversationID] = append(out[m.ConversationID], m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, last, fmt.Errorf("store: scan messages: %w", err)
	}
	if err := unpackAll(packed, out); err != nil {
		return nil, last, err
	}
	dataCol := `NULL`
	if o.AttachmentData {
		dataCol = `a.data`
	}
	if o.AttachmentData && o.DataOnlyWithoutRaw {
		// Fetch data only where needed: split the list.
		var with, without []any
		for _, v := range fileSeqs {
			if needData[v.(int64)] {
				with = append(with, v)
			} else {
				without = append(without, v)
			}
		}
		if err := s.scanAttachments(ctx, q, with, `a.data`, withFiles, out); err != nil {
			return nil, last, err
		}
		return out, last, s.scanAttachments(ctx, q, without, `NULL`, withFiles, out)
	}
	return out, last, s.scanAttachments(ctx, q, fileSeqs, dataCol, withFiles, out)
}

type msgRef struct {
	conv string
	i    int
}

func (s *Store) scanAttachments(ctx context.Context, q queryer, fileSeqs []any, dataCol string, withFiles map[int64]msgRef, out map[string][]inbox.Message) error {
	for start := 0; start < len(fileSeqs); start += 500 {
		end := min(start+500, len(fileSeqs))
		ph := inPlaceholders(end - start)
		arows, err := q.QueryContext(ctx, `SELECT a.id, a.seq, a.name, a.content_type, a.size, a.content_id, a.inline, a.fetched, `+dataCol+`
			FROM attachments a WHERE a.seq IN (`+ph+`) ORDER BY a.seq, a.rowid`, fileSeqs[start:end]...)
		if err != nil {
			return fmt.Errorf("store: scan attachments: %w", err)
		}
		for arows.Next() {
			var a inbox.Attachment
			var seq int64
			if err := arows.Scan(&a.ID, &seq, &a.Name, &a.ContentType, &a.Size, &a.ContentID, &a.Inline, &a.Fetched, &a.Data); err != nil {
				arows.Close()
				return err
			}
			r := withFiles[seq]
			m := &out[r.conv][r.i]
			a.MessageID = m.ID
			m.Attachments = append(m.Attachments, a)
		}
		arows.Close()
		if err := arows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func inPlaceholders(n int) string {
	b := make([]byte, 0, n*2)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

// fillMessage completes a message scanned column by column, as scanMessage
// does.
func fillMessage(m *inbox.Message, ch, dir, reason string, sent, recv int64, to, cc, bcc, refs string) {
	m.Channel, m.Direction, m.ThreadReason = inbox.Channel(ch), inbox.Direction(dir), inbox.ThreadReason(reason)
	m.Date, m.ReceivedAt = fromMS(sent), fromMS(recv)
	unmarshalList(to, &m.To)
	unmarshalList(cc, &m.Cc)
	unmarshalList(bcc, &m.Bcc)
	unmarshalList(refs, &m.References)
}

// unmarshalList decodes a JSON list column, skipping the common empty one.
func unmarshalList[T any](s string, v *[]T) {
	if s != "" && s != "[]" {
		json.Unmarshal([]byte(s), v)
	}
}

// packedRaw is an original as stored, waiting to be decompressed.
type packedRaw struct {
	conv string
	i    int
	comp string
	size int
	data []byte
}

// unpackAll decompresses originals on every core: it is most of the work
// of exporting mail.
func unpackAll(packed []packedRaw, out map[string][]inbox.Message) error {
	if len(packed) == 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), len(packed))
	raws := make([][]byte, len(packed))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(packed); i += workers {
				p := packed[i]
				raw, err := decompress(p.comp, p.data, p.size)
				if err != nil {
					errs[w] = fmt.Errorf("store: message %s: %w", out[p.conv][p.i].ID, err)
					return
				}
				raws[i] = raw
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for i, p := range packed {
		out[p.conv][p.i].Raw = raws[i]
	}
	return nil
}
