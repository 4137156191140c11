package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/inbox"
)

// InsertMessageTx stores a message, its original bytes, its attachments and
// its full-text entry inside tx, and updates its conversation's counters
// (or, under DeferRefresh, notes the conversation for one recount per
// batch). The conversation must exist. It returns the message's row number,
// which is also its rowid in the FTS index.
//
// An attachment whose encoded body lies in the original (InRaw) is not
// stored a second time: Attachment decodes it from there when asked.
func (s *Store) InsertMessageTx(ctx context.Context, tx *sql.Tx, m *inbox.Message) (int64, error) {
	if m.ID == "" {
		m.ID = inbox.NewID(inbox.PrefixMessage)
	}
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = s.now().UTC()
	}
	if m.Date.IsZero() {
		m.Date = m.ReceivedAt
	}
	if m.ThreadReason == "" {
		m.ThreadReason = inbox.ReasonNew
	}
	refs, _ := json.Marshal(nonNil(m.References))
	res, err := tx.ExecContext(ctx, `INSERT INTO messages (id, conversation_id, account_id, channel, direction, sent_at, received_at,
		from_name, from_addr, to_json, cc_json, bcc_json, subject, body_text, body_html, message_id, in_reply_to, references_json,
		auto, is_read, flagged, thread_reason, parse_error, content_hash, has_attachments, body_state, header_hash)
		VALUES (?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ConversationID, m.AccountID, string(m.Channel), string(m.Direction), ms(m.Date), ms(m.ReceivedAt),
		m.From.Name, strings.ToLower(m.From.Address), addrJSON(m.To), addrJSON(m.Cc), addrJSON(m.Bcc), m.Subject, m.Text, m.HTML,
		m.MessageID, m.InReplyTo, string(refs), m.Auto, m.Read || m.Direction == inbox.Out, m.Flagged, string(m.ThreadReason),
		m.ParseError, m.ContentHash, len(m.Attachments) > 0, bodyState(m), incompleteHeaderHash(m))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, fmt.Errorf("store: message %s already stored: %w", m.ID, inbox.ErrConflict)
		}
		return 0, fmt.Errorf("store: insert message: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := s.putBodyTx(ctx, tx, seq, m, true); err != nil {
		return 0, err
	}
	if err := s.conversationAddedTx(ctx, tx, m); err != nil {
		return 0, err
	}
	return seq, nil
}

// bodyState is messages.body_state for m: 1 while only its header is
// here, 2 when attachments were left on the server, else 0.
func bodyState(m *inbox.Message) int {
	if m.BodyPending {
		return 1
	}
	for _, a := range m.Attachments {
		if !a.Fetched && a.Data == nil {
			return 2
		}
	}
	return 0
}

// incompleteHeaderHash is the header hash kept for a message stored
// without its whole body (found by it when the rest arrives); a complete
// message is found by its content hash, and one index entry less per
// message matters when filing thousands.
func incompleteHeaderHash(m *inbox.Message) string {
	if bodyState(m) == 0 {
		return ""
	}
	return m.HeaderHash
}

// putBodyTx stores what comes with a message's body: the original, the
// attachments and (with index) the full-text entry.
func (s *Store) putBodyTx(ctx context.Context, tx *sql.Tx, seq int64, m *inbox.Message, index bool) error {
	if m.Raw != nil {
		comp, data := compressRaw(m.Raw)
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_raw (seq, compression, size, data) VALUES (?, ?, ?, ?)`, seq, comp, len(m.Raw), data); err != nil {
			return fmt.Errorf("store: keep original: %w", err)
		}
	}
	var files []string
	for i := range m.Attachments {
		a := &m.Attachments[i]
		if a.ID == "" {
			a.ID = inbox.DerivedID(inbox.PrefixAttachment, m.ID, fmt.Sprint(i))
		}
		a.MessageID = m.ID
		if a.Size == 0 {
			a.Size = int64(len(a.Data))
		}
		if a.ContentType == "" {
			a.ContentType = "application/octet-stream"
		}
		fetched := a.Fetched || a.Data != nil
		data, start, end := a.Data, 0, 0
		if fetched && m.Raw != nil && a.InRaw[1] > a.InRaw[0] && a.InRaw[1] <= len(m.Raw) {
			data, start, end = nil, a.InRaw[0], a.InRaw[1] // kept once, in the original
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (id, seq, name, content_type, size, content_id, inline, fetched, data, part, encoding, raw_start, raw_end)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, seq, a.Name, a.ContentType, a.Size, a.ContentID, a.Inline, fetched, data,
			a.Part, a.Encoding, start, end); err != nil {
			return fmt.Errorf("store: insert attachment: %w", err)
		}
		files = append(files, a.Name)
	}
	if !index {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO message_fts (rowid, subject, body, people, files) VALUES (?, ?, ?, ?, ?)`,
		seq, m.Subject, m.Text, peopleText(m), strings.Join(files, " ")); err != nil {
		return fmt.Errorf("store: index message: %w", err)
	}
	return nil
}

// peopleText is what the index knows of a message's sender and recipients.
func peopleText(m *inbox.Message) string {
	var b strings.Builder
	add := func(a inbox.Address) {
		b.WriteString(a.Name)
		b.WriteByte(' ')
		b.WriteString(a.Address)
		b.WriteByte(' ')
	}
	add(m.From)
	for _, l := range [][]inbox.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range l {
			add(a)
		}
	}
	return b.String()
}

func addrJSON(a []inbox.Address) string {
	if len(a) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(a)
	return string(b)
}

const messageColumns = `m.seq, m.id, m.conversation_id, COALESCE(m.account_id, ''), m.channel, m.direction, m.sent_at, m.received_at,
	m.from_name, m.from_addr, m.to_json, m.cc_json, m.bcc_json, m.subject, m.body_text, m.body_html, m.message_id, m.in_reply_to,
	m.references_json, m.auto, m.is_read, m.flagged, m.thread_reason, m.parse_error, m.content_hash, m.body_state = 1, m.header_hash,
	m.body_state = 1 AND NOT EXISTS (SELECT 1 FROM message_locations l WHERE l.seq = m.seq AND l.gone_at = 0)`

func scanMessage(sc interface{ Scan(...any) error }) (int64, inbox.Message, error) {
	var m inbox.Message
	var seq, sent, recv int64
	var ch, dir, to, cc, bcc, refs, reason string
	err := sc.Scan(&seq, &m.ID, &m.ConversationID, &m.AccountID, &ch, &dir, &sent, &recv, &m.From.Name, &m.From.Address,
		&to, &cc, &bcc, &m.Subject, &m.Text, &m.HTML, &m.MessageID, &m.InReplyTo, &refs, &m.Auto, &m.Read, &m.Flagged,
		&reason, &m.ParseError, &m.ContentHash, &m.BodyPending, &m.HeaderHash, &m.BodyGone)
	if err != nil {
		return 0, m, err
	}
	m.Channel, m.Direction, m.ThreadReason = inbox.Channel(ch), inbox.Direction(dir), inbox.ThreadReason(reason)
	m.Date, m.ReceivedAt = fromMS(sent), fromMS(recv)
	json.Unmarshal([]byte(to), &m.To)
	json.Unmarshal([]byte(cc), &m.Cc)
	json.Unmarshal([]byte(bcc), &m.Bcc)
	json.Unmarshal([]byte(refs), &m.References)
	return seq, m, nil
}

// Messages returns a conversation's messages, oldest first, with attachment
// metadata but neither attachment data nor original bytes.
func (s *Store) Messages(ctx context.Context, conversationID string) ([]inbox.Message, error) {
	return s.queryMessages(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.conversation_id = ? ORDER BY m.sent_at, m.seq`, conversationID)
}

// Message returns one message by ID.
func (s *Store) Message(ctx context.Context, id string) (inbox.Message, error) {
	ms, err := s.queryMessages(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.id = ?`, id)
	if err != nil {
		return inbox.Message{}, err
	}
	if len(ms) == 0 {
		return inbox.Message{}, fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
	}
	return ms[0], nil
}

// MessagesBySeq returns messages by row number, in the order asked.
func (s *Store) MessagesBySeq(ctx context.Context, seqs []int64) ([]inbox.Message, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	args := make([]any, len(seqs))
	ph := make([]string, len(seqs))
	for i, v := range seqs {
		args[i], ph[i] = v, "?"
	}
	got, err := s.queryMessages(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.seq IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	return got, nil
}

func (s *Store) queryMessages(ctx context.Context, q string, args ...any) ([]inbox.Message, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	var out []inbox.Message
	var seqs []any
	idx := map[int64]int{}
	for rows.Next() {
		seq, m, err := scanMessage(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[seq] = len(out)
		seqs = append(seqs, seq)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(seqs)), ",")
	arows, err := s.db.QueryContext(ctx, `SELECT id, seq, name, content_type, size, content_id, inline, fetched, part, encoding FROM attachments WHERE seq IN (`+ph+`) ORDER BY seq, rowid`, seqs...)
	if err != nil {
		return nil, fmt.Errorf("store: attachments: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var a inbox.Attachment
		var seq int64
		if err := arows.Scan(&a.ID, &seq, &a.Name, &a.ContentType, &a.Size, &a.ContentID, &a.Inline, &a.Fetched, &a.Part, &a.Encoding); err != nil {
			return nil, err
		}
		i := idx[seq]
		a.MessageID = out[i].ID
		out[i].Attachments = append(out[i].Attachments, a)
	}
	return out, arows.Err()
}

// RawMessage returns the original bytes of a message exactly as received.
func (s *Store) RawMessage(ctx context.Context, id string) ([]byte, error) {
	var comp string
	var size int
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT r.compression, r.size, r.data FROM message_raw r JOIN messages m ON m.seq = r.seq WHERE m.id = ?`, id).Scan(&comp, &size, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: no original kept for message %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return decompress(comp, data, size)
}

// Attachment returns one attachment with its data, decoded from the
// message's original when it is kept only there.
func (s *Store) Attachment(ctx context.Context, id string) (inbox.Attachment, error) {
	var a inbox.Attachment
	var seq int64
	var data []byte
	var start, end int
	err := s.db.QueryRowContext(ctx, `SELECT a.id, m.id, m.seq, a.name, a.content_type, a.size, a.content_id, a.inline, a.fetched, a.data,
		a.part, a.encoding, a.raw_start, a.raw_end
		FROM attachments a JOIN messages m ON m.seq = a.seq WHERE a.id = ?`, id).
		Scan(&a.ID, &a.MessageID, &seq, &a.Name, &a.ContentType, &a.Size, &a.ContentID, &a.Inline, &a.Fetched, &data,
			&a.Part, &a.Encoding, &start, &end)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: attachment %s: %w", id, inbox.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("store: attachment %s: %w", id, err)
	}
	a.Data = data
	if data == nil && a.Fetched && end > start {
		raw, err := s.rawBySeq(ctx, seq)
		if err != nil {
			return a, err
		}
		if end > len(raw) {
			return a, fmt.Errorf("store: attachment %s lies outside its message's original", id)
		}
		a.Data, _ = inbox.DecodeTransfer(a.Encoding, raw[start:end])
		a.InRaw = [2]int{start, end}
	}
	if a.Data == nil {
		a.Data = []byte{}
	}
	return a, nil
}

// rawBySeq returns a message's original bytes by row number.
func (s *Store) rawBySeq(ctx context.Context, seq int64) ([]byte, error) {
	var comp string
	var size int
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT compression, size, data FROM message_raw WHERE seq = ?`, seq).Scan(&comp, &size, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: no original kept for message %d: %w", seq, inbox.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return decompress(comp, data, size)
}

// MarkMessageRead marks one message read or unread.
func (s *Store) MarkMessageRead(ctx context.Context, id string, read bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var conv string
		if err := tx.QueryRowContext(ctx, `UPDATE messages SET is_read = ? WHERE id = ? RETURNING conversation_id`, read, id).Scan(&conv); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: message %s: %w", id, inbox.ErrNotFound)
			}
			return err
		}
		return s.refreshConversationTx(ctx, tx, conv)
	})
}
