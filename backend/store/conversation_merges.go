package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"tidings/backend/inbox"
)

// PrefixConversationMerge starts the IDs of conversation merges.
const PrefixConversationMerge = "cvm"

// convMergeSnapshot is what RecordConversationMergeTx keeps of two
// conversations before a merge, so that UndoConversationMerge can put both
// back exactly.
type convMergeSnapshot struct {
	// Into and From are the conversations' rows, column by column.
	Into map[string]any `json:"into"`
	From map[string]any `json:"from"`
	// Messages maps each message of from to its thread reason.
	Messages map[string]string `json:"messages"`
	Notes    []string          `json:"notes"`
	Events   []string          `json:"events"`
	Outbox   []string          `json:"outbox"`
	// Labels are label IDs of each conversation before the merge.
	IntoLabels []string `json:"into_labels"`
	FromLabels []string `json:"from_labels"`
	// ChatThread is from's chat_threads row, if any.
	ChatThread map[string]any `json:"chat_thread,omitempty"`
}

// ConversationMerge is one recorded merge.
type ConversationMerge struct {
	ID     string `json:"id"`
	IntoID string `json:"into_id"`
	FromID string `json:"from_id"`
}

// RecordConversationMergeTx snapshots conversations into and from before
// they are merged (the caller merges in the same tx) and returns the
// merge's ID for UndoConversationMerge.
func (s *Store) RecordConversationMergeTx(ctx context.Context, tx *sql.Tx, into, from string) (string, error) {
	if into == from {
		return "", fmt.Errorf("store: cannot merge a conversation into itself: %w", inbox.ErrInvalid)
	}
	var snap convMergeSnapshot
	var err error
	if snap.Into, err = rowMap(ctx, tx, `SELECT * FROM conversations WHERE id = ?`, into); err != nil {
		return "", fmt.Errorf("store: conversation %s: %w", into, err)
	}
	if snap.From, err = rowMap(ctx, tx, `SELECT * FROM conversations WHERE id = ?`, from); err != nil {
		return "", fmt.Errorf("store: conversation %s: %w", from, err)
	}
	snap.Messages = map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, thread_reason FROM messages WHERE conversation_id = ?`, from)
	if err != nil {
		return "", fmt.Errorf("store: merge snapshot: %w", err)
	}
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			rows.Close()
			return "", err
		}
		snap.Messages[id] = reason
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	for _, l := range []struct {
		dst *[]string
		q   string
		id  string
	}{
		{&snap.Notes, `SELECT id FROM notes WHERE conversation_id = ?`, from},
		{&snap.Events, `SELECT id FROM events WHERE conversation_id = ?`, from},
		{&snap.Outbox, `SELECT id FROM outbox WHERE conversation_id = ?`, from},
		{&snap.IntoLabels, `SELECT label_id FROM conversation_labels WHERE conversation_id = ?`, into},
		{&snap.FromLabels, `SELECT label_id FROM conversation_labels WHERE conversation_id = ?`, from},
	} {
		if *l.dst, err = stringColumn(ctx, tx, l.q, l.id); err != nil {
			return "", fmt.Errorf("store: merge snapshot: %w", err)
		}
	}
	snap.ChatThread, err = rowMap(ctx, tx, `SELECT * FROM chat_threads WHERE conversation_id = ?`, from)
	if errors.Is(err, inbox.ErrNotFound) {
		snap.ChatThread, err = nil, nil
	}
	if err != nil {
		return "", fmt.Errorf("store: merge snapshot: %w", err)
	}
	js, err := json.Marshal(snap)
	if err != nil {
		return "", err
	}
	id := inbox.NewID(PrefixConversationMerge)
	if _, err := tx.ExecContext(ctx, `INSERT INTO conversation_merges (id, into_id, from_id, snapshot, merged_at) VALUES (?, ?, ?, ?, ?)`,
		id, into, from, string(js), s.now().UnixMilli()); err != nil {
		return "", fmt.Errorf("store: record merge: %w", err)
	}
	return id, nil
}

// UndoConversationMerge puts a merged conversation back as it was before
// the merge: its row (status, snooze, subject, contact), its messages (with
// why they joined), notes, events, labels, outbox items and chat thread;
// the conversation it was merged into gets its own row and labels back.
// Both timelines record the undo. Messages that arrived after the merge
// stay where they are.
func (s *Store) UndoConversationMerge(ctx context.Context, mergeID string) (ConversationMerge, error) {
	var m ConversationMerge
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var js string
		var undone int64
		err := tx.QueryRowContext(ctx, `SELECT into_id, from_id, snapshot, undone_at FROM conversation_merges WHERE id = ?`, mergeID).
			Scan(&m.IntoID, &m.FromID, &js, &undone)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: conversation merge %s: %w", mergeID, inbox.ErrNotFound)
		}
		if err != nil {
			return err
		}
		m.ID = mergeID
		if undone != 0 {
			return fmt.Errorf("store: conversation merge %s was undone already: %w", mergeID, inbox.ErrConflict)
		}
		var snap convMergeSnapshot
		dec := json.NewDecoder(strings.NewReader(js))
		dec.UseNumber()
		if err := dec.Decode(&snap); err != nil {
			return fmt.Errorf("store: conversation merge %s: %w", mergeID, err)
		}
		if _, err := s.conversation(ctx, tx, m.IntoID); err != nil {
			var later int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM conversation_merges WHERE from_id = ? AND undone_at = 0`, m.IntoID).Scan(&later)
			if later > 0 {
				return fmt.Errorf("store: undo merge: the conversation it went into is gone, merged into another one since: undo that merge first: %w", inbox.ErrConflict)
			}
			return fmt.Errorf("store: undo merge: the conversation it went into is gone: %w", err)
		}
		if _, err := s.conversation(ctx, tx, m.FromID); err == nil {
			return fmt.Errorf("store: undo merge: conversation %s exists again: %w", m.FromID, inbox.ErrConflict)
		}
		if err := insertRow(ctx, tx, "conversations", snap.From); err != nil {
			return err
		}
		if err := restoreRow(ctx, tx, "conversations", snap.Into); err != nil {
			return err
		}
		for id, reason := range snap.Messages {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET conversation_id = ?, thread_reason = ? WHERE id = ? AND conversation_id = ?`,
				m.FromID, reason, id, m.IntoID); err != nil {
				return fmt.Errorf("store: undo merge: %w", err)
			}
		}
		for _, l := range []struct {
			table string
			ids   []string
		}{{"notes", snap.Notes}, {"events", snap.Events}, {"outbox", snap.Outbox}} {
			if len(l.ids) == 0 {
				continue
			}
			in, args := inList(l.ids)
			if _, err := tx.ExecContext(ctx, `UPDATE `+l.table+` SET conversation_id = ? WHERE conversation_id = ? AND id IN (`+in+`)`,
				append([]any{m.FromID, m.IntoID}, args...)...); err != nil {
				return fmt.Errorf("store: undo merge: %s: %w", l.table, err)
			}
		}
		// Labels the merge brought into into come off it; from gets its own.
		had := map[string]bool{}
		for _, l := range snap.IntoLabels {
			had[l] = true
		}
		for _, l := range snap.FromLabels {
			if !had[l] {
				if _, err := tx.ExecContext(ctx, `DELETE FROM conversation_labels WHERE conversation_id = ? AND label_id = ?`, m.IntoID, l); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO conversation_labels (conversation_id, label_id) SELECT ?, id FROM labels WHERE id = ?`, m.FromID, l); err != nil {
				return err
			}
		}
		if snap.ChatThread != nil {
			if err := insertRow(ctx, tx, "chat_threads", snap.ChatThread, "OR IGNORE"); err != nil {
				return err
			}
		}
		for _, c := range []string{m.FromID, m.IntoID} {
			if err := s.refreshConversationTx(ctx, tx, c); err != nil {
				return err
			}
		}
		// The merge's line stays in the timeline; both say it was undone.
		for _, c := range []string{m.FromID, m.IntoID} {
			if err := s.AddEventTx(ctx, tx, c, "unmerge", "Merge undone: both conversations are back as they were"); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE conversation_merges SET undone_at = ? WHERE id = ?`, s.now().UnixMilli(), mergeID)
		return err
	})
	return m, err
}

// rowMap reads one row as column → value; no row is inbox.ErrNotFound.
func rowMap(ctx context.Context, q queryer, query string, args ...any) (map[string]any, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, inbox.ErrNotFound
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(cols))
	for i, c := range cols {
		if b, ok := vals[i].([]byte); ok {
			vals[i] = string(b)
		}
		out[c] = vals[i]
	}
	return out, rows.Err()
}

// sqlValue turns a JSON-decoded value (numbers as json.Number) back into
// what SQLite stored.
func sqlValue(v any) any {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
		f, _ := n.Float64()
		return f
	}
	return v
}

func sortedColumns(row map[string]any) []string {
	cols := make([]string, 0, len(row))
	for c := range row {
		cols = append(cols, c)
	}
	// A stable order keeps the statements the same from call to call.
	sort.Strings(cols)
	return cols
}

func insertRow(ctx context.Context, tx *sql.Tx, table string, row map[string]any, or ...string) error {
	cols := sortedColumns(row)
	args := make([]any, len(cols))
	marks := make([]string, len(cols))
	for i, c := range cols {
		args[i], marks[i] = sqlValue(row[c]), "?"
	}
	verb := "INSERT"
	if len(or) > 0 {
		verb += " " + or[0]
	}
	q := verb + ` INTO ` + table + ` (` + quoteIdents(cols) + `) VALUES (` + strings.Join(marks, ", ") + `)`
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store: undo merge: restore %s: %w", table, err)
	}
	return nil
}

func restoreRow(ctx context.Context, tx *sql.Tx, table string, row map[string]any) error {
	var set bytes.Buffer
	var args []any
	for _, c := range sortedColumns(row) {
		if c == "id" {
			continue
		}
		if set.Len() > 0 {
			set.WriteString(", ")
		}
		set.WriteString(`"` + c + `" = ?`)
		args = append(args, sqlValue(row[c]))
	}
	args = append(args, sqlValue(row["id"]))
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+set.String()+` WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("store: undo merge: restore %s: %w", table, err)
	}
	return nil
}

func quoteIdents(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return strings.Join(q, ", ")
}

// ConversationMerges lists the merges into a conversation that can still
// be undone, newest first.
func (s *Store) ConversationMerges(ctx context.Context, intoID string) ([]ConversationMerge, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, into_id, from_id FROM conversation_merges WHERE into_id = ? AND undone_at = 0 ORDER BY merged_at DESC, id DESC`, intoID)
	if err != nil {
		return nil, fmt.Errorf("store: conversation merges: %w", err)
	}
	defer rows.Close()
	out := []ConversationMerge{}
	for rows.Next() {
		var m ConversationMerge
		if err := rows.Scan(&m.ID, &m.IntoID, &m.FromID); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
