package syncer

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// deliverUnreadable delivers n corpus messages to the INBOX, has Dovecot
// index them, and makes the file of message i (oldest first) unreadable, so
// that Dovecot drops the connection when a command needs it. It returns a
// func that makes the message readable again and lets a day pass, after
// which a refused message is tried again.
func (h *harness) deliverUnreadable(n, i int) (readable func()) {
	h.t.Helper()
	if err := h.dove.Deliver(user, "INBOX", corpus(n, 0)); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.dove.Doveadm(nil, "index", "-u", user, "INBOX"); err != nil {
		h.t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(h.dove.Maildir(user, "INBOX"), "*", "*.dovetest*"))
	if len(files) != n {
		h.t.Fatalf("maildir files: got %d, want %d", len(files), n)
	}
	sort.Strings(files)
	bad := files[i]
	if err := os.Chmod(bad, 0); err != nil {
		h.t.Fatal(err)
	}
	return func() {
		// Dovecot may have moved it to cur/ meanwhile.
		moved, _ := filepath.Glob(filepath.Join(h.dove.Maildir(user, "INBOX"), "*", strings.SplitN(filepath.Base(bad), ":", 2)[0]+"*"))
		for _, m := range moved {
			os.Chmod(m, 0o600)
		}
		h.sy.opts.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	}
}
