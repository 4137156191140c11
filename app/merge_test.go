package app

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/workspace"
)

// dumpConversation reads everything the store holds about a conversation,
// as text rows: its row, its messages (and why they joined), notes, labels,
// outbox items and chat thread. Events are left out: the timeline keeps
// the merge and its undo.
func dumpConversation(t *testing.T, db *sql.DB, id string) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT * FROM conversations WHERE id = ?`,
		`SELECT id, thread_reason, is_read FROM messages WHERE conversation_id = ? ORDER BY id`,
		`SELECT id, body FROM notes WHERE conversation_id = ? ORDER BY id`,
		`SELECT l.name FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = ? ORDER BY l.name`,
		`SELECT id, state FROM outbox WHERE conversation_id = ? ORDER BY id`,
		`SELECT * FROM chat_threads WHERE conversation_id = ?`,
	} {
		rows, err := db.Query(q, id)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, c := range cols {
				fmt.Fprintf(&b, "%s=%v ", c, vals[i])
			}
			out = append(out, b.String())
		}
		rows.Close()
	}
	return out
}

func TestMergeConversationsAndUndo(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	rec := &nameRecorder{}
	e := NewEmail(a.ws, rec, nil, nil)
	list, err := a.Conversations(workspace.ListOptions{Status: "all", Limit: 100})
	if err != nil || len(list) < 2 {
		t.Fatalf("demo conversations: got %d, %v", len(list), err)
	}
	// Two conversations with different customers, statuses, labels and notes.
	into, from := list[0].ID, ""
	for _, c := range list[1:] {
		if c.Contact.ID != list[0].Contact.ID && c.MessageCount > 1 {
			from = c.ID
			break
		}
	}
	if from == "" {
		t.Fatal("the demo has no second customer with several messages")
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.SetStatus(into, "snoozed", time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339)))
	must(a.SetStatus(from, "closed", ""))
	must(a.AddLabel(into, "Shared"))
	must(a.AddLabel(from, "Shared"))
	must(a.AddLabel(from, "Only-from"))
	must(a.AddNote(from, "a note on the merged-away conversation"))
	must(a.MarkRead(from, false))

	db := a.ws.Store.DB()
	beforeInto, beforeFrom := dumpConversation(t, db, into), dumpConversation(t, db, from)
	intoMsgs, _ := a.Thread(into)
	fromMsgs, _ := a.Thread(from)

	if _, err := e.MergeConversations(into, into); !errors.Is(err, inbox.ErrInvalid) {
		t.Fatalf("merge into itself: got %v, want ErrInvalid", err)
	}
	id, err := e.MergeConversations(into, from)
	if err != nil {
		t.Fatal(err)
	}
	th, err := a.Thread(into)
	must(err)
	if got, want := len(th.Messages), len(intoMsgs.Messages)+len(fromMsgs.Messages); got != want {
		t.Fatalf("messages after merge: got %d, want %d", got, want)
	}
	union := map[string]bool{}
	for _, l := range append(append([]string{}, intoMsgs.Labels...), fromMsgs.Labels...) {
		union[l] = true
	}
	if len(th.Labels) != len(union) || !union["Only-from"] || !union["Shared"] {
		t.Fatalf("labels after merge: got %v, want both conversations' %v", th.Labels, union)
	}
	if _, err := a.Thread(from); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("merged-away conversation: got %v, want ErrNotFound", err)
	}

	ms, err := e.Merges(into)
	if err != nil || len(ms) != 1 || ms[0].ID != id || ms[0].FromID != from {
		t.Fatalf("undoable merges: got %+v, %v, want one %s", ms, err, id)
	}
	back, err := e.UndoMergeConversations(id)
	if err != nil || back != from {
		t.Fatalf("undo: got %q, %v, want %q", back, err, from)
	}
	afterInto, afterFrom := dumpConversation(t, db, into), dumpConversation(t, db, from)
	if !reflect.DeepEqual(afterInto, beforeInto) {
		t.Fatalf("into after undo:\n got %q\nwant %q", afterInto, beforeInto)
	}
	if !reflect.DeepEqual(afterFrom, beforeFrom) {
		t.Fatalf("from after undo:\n got %q\nwant %q", afterFrom, beforeFrom)
	}
	for _, c := range []string{into, from} {
		th, _ := a.Thread(c)
		if n := len(th.Events); n == 0 || th.Events[n-1].Kind != "unmerge" {
			t.Fatalf("timeline of %s does not end with the undo: %+v", c, th.Events)
		}
	}
	if _, err := e.UndoMergeConversations(id); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("undo twice: got %v, want ErrConflict", err)
	}
	if ms, _ := e.Merges(into); len(ms) != 0 {
		t.Fatalf("undoable merges after the undo: got %+v, want none", ms)
	}
	if _, err := e.UndoMergeConversations("cvm_nope"); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("undo unknown: got %v, want ErrNotFound", err)
	}
	if rec.count(EventChanged) != 2 {
		t.Fatalf("change events: got %d, want 2 (merge, undo)", rec.count(EventChanged))
	}
}

// TestMergeChainsUndoInOrder: A into B, then B into C. Undoing the first
// merge while B is merged away says so; undoing the second, then the first,
// brings all three back exactly.
func TestMergeChainsUndoInOrder(t *testing.T) {
	a, _ := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEmail(a.ws, nil, nil, nil)
	list, err := a.Conversations(workspace.ListOptions{Status: "all", Limit: 3})
	if err != nil || len(list) < 3 {
		t.Fatalf("demo conversations: got %d, %v", len(list), err)
	}
	ca, cb, cc := list[0].ID, list[1].ID, list[2].ID
	db := a.ws.Store.DB()
	before := [][]string{dumpConversation(t, db, ca), dumpConversation(t, db, cb), dumpConversation(t, db, cc)}
	first, err := e.MergeConversations(cb, ca)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.MergeConversations(cc, cb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.UndoMergeConversations(first); !errors.Is(err, inbox.ErrConflict) || !strings.Contains(err.Error(), "undo that merge first") {
		t.Fatalf("undo the first merge while its target is merged away: got %v", err)
	}
	if _, err := e.UndoMergeConversations(second); err != nil {
		t.Fatal(err)
	}
	if _, err := e.UndoMergeConversations(first); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{ca, cb, cc} {
		if got := dumpConversation(t, db, id); !reflect.DeepEqual(got, before[i]) {
			t.Fatalf("conversation %d after both undos:\n got %q\nwant %q", i, got, before[i])
		}
	}
}
