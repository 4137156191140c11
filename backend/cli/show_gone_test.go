package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"tidings/backend/store"
)

// `tidings show` of a message whose body never came says whether it is on
// its way or will not come, the server having removed the message. (The
// state is set by hand here; backend/syncer's TestPendingBodyGoneFromServer
// shows a sync against Dovecot leaves it.)
func TestShowBodyGoneFromServer(t *testing.T) {
	dir := t.TempDir()
	if r := tid(t, "", "--data", dir, "demo"); r.code != ExitOK {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	var conv string
	err = st.DB().QueryRow(`SELECT id FROM conversations WHERE subject = 'Warranty claim: cracked rim'`).Scan(&conv)
	if err == nil {
		_, err = st.DB().Exec(`UPDATE messages SET body_state = 1, body_text = '' WHERE conversation_id = ?;`, conv)
	}
	if err == nil {
		_, err = st.DB().Exec(`INSERT INTO message_locations (account_id, folder, uidvalidity, uid, seq, gone_at)
			SELECT account_id, 'INBOX', 1, 1, seq, 0 FROM messages WHERE conversation_id = ?`, conv)
	}
	if err != nil {
		t.Fatal(err)
	}
	if r := tid(t, "", "--data", dir, "show", conv); !strings.Contains(r.stdout, "the body is still being downloaded") {
		t.Errorf("on the server: got %q, want it shown as on its way", r.stdout)
	}
	if _, err := st.DB().Exec(`UPDATE message_locations SET gone_at = 1 WHERE uid = 1 AND folder = 'INBOX'`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	r := tid(t, "", "--data", dir, "show", conv)
	if !strings.Contains(r.stdout, "body not downloaded; the message was removed from the server") || strings.Contains(r.stdout, "still being downloaded") {
		t.Errorf("gone from the server: got %q, want it said the body will not come", r.stdout)
	}
	if r := tid(t, "", "--data", dir, "show", conv, "--json"); !strings.Contains(r.stdout, `"body_gone": true`) {
		t.Errorf("show --json: got %q, want body_gone", r.stdout)
	}
}
