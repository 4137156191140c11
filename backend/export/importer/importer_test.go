package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"tidings/backend/demo"
	"tidings/backend/export"
	"tidings/backend/inbox"
	"tidings/backend/store"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// source is a demo store plus a conversation whose originals are Cyrillic
// and Japanese mail with an attachment and "From " lines.
func source(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := newStore(t)
	if _, err := demo.Seed(ctx, st, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	st.AddNote(ctx, &inbox.Note{ContactID: firstContact(t, st), Body: "VIP customer"})
	for i, r := range []string{msgCyrillic, msgReply} {
		res, err := Import(ctx, st, writeTemp(t, fmt.Sprintf("m%d.eml", i), r), nil)
		if err != nil || res.Imported != 1 {
			t.Fatalf("seed import %d: %+v %v", i, res, err)
		}
	}
	return st
}

func firstContact(t *testing.T, st *store.Store) string {
	var id string
	st.DB().QueryRow(`SELECT id FROM contacts ORDER BY id LIMIT 1`).Scan(&id)
	return id
}

const msgCyrillic = "From: =?utf-8?b?0JTQvNC40YLRgNC40Lk=?= <d.ivanov@example.ru>\r\nTo: hello@bluebird-bikes.example\r\n" +
	"Subject: =?utf-8?b?0JfQsNC60LDQtyDihJYgNDI=?=\r\nDate: Mon, 02 Nov 2026 10:00:00 +0300\r\n" +
	"Message-ID: <crafted-1@example.ru>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
	"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
	"Здравствуйте!\r\nFrom the start of this line mbox needs quoting.\r\n>From quoted once already.\r\n日本語のテキストも。\r\n" +
	"--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
	"JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK\r\n--b1--\r\n"

const msgReply = "From: Bluebird Bikes <hello@bluebird-bikes.example>\r\nTo: d.ivanov@example.ru\r\n" +
	"Subject: Re: =?utf-8?b?0JfQsNC60LDQtyDihJYgNDI=?=\r\nDate: Mon, 02 Nov 2026 12:00:00 +0300\r\n" +
	"Message-ID: <crafted-2@bluebird-bikes.example>\r\nIn-Reply-To: <crafted-1@example.ru>\r\nReferences: <crafted-1@example.ru>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nСпасибо, Дмитрий! ありがとう。"

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// rawDigests maps Message-ID to the SHA-256 of each stored email original.
func rawDigests(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	rows, err := st.DB().Query(`SELECT id, message_id FROM messages WHERE channel = 'email'`)
	if err != nil {
		t.Fatal(err)
	}
	var ids, mids []string
	for rows.Next() {
		var id, mid string
		rows.Scan(&id, &mid)
		ids, mids = append(ids, id), append(mids, mid)
	}
	rows.Close()
	out := map[string]string{}
	for i, id := range ids {
		raw, err := st.RawMessage(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) > 0 && raw[len(raw)-1] != '\n' {
			raw = append(raw, '\n') // an mbox ends every message with a line end
		}
		sum := sha256.Sum256(raw)
		out[mids[i]] = hex.EncodeToString(sum[:])
	}
	return out
}

func exportTo(t *testing.T, st *store.Store, f export.Format, name string, mode export.AttachmentMode) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	if _, err := export.Export(context.Background(), st, export.Options{Format: f, Out: out, Attachments: mode}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMboxRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := source(t)
	total := count(t, src, `SELECT count(*) FROM messages`)
	path := exportTo(t, src, export.MBOX, "all.mbox", "")

	dst := newStore(t)
	var calls int
	sum, err := Import(ctx, dst, path, &Options{Progress: func(d, n int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Kind != KindMbox || sum.Imported != total || sum.Skipped != 0 || sum.Unreadable != 0 || calls < 2 {
		t.Fatalf("got %+v (%d progress calls), want %d imported", sum, calls, total)
	}
	want := rawDigests(t, src)
	got := rawDigests(t, dst)
	for mid, d := range want {
		if got[mid] != d {
			t.Errorf("%s: original differs after the round trip", mid)
		}
	}
	// The reply threads with its parent, as synced mail does.
	if n := count(t, dst, `SELECT count(DISTINCT conversation_id) FROM messages WHERE message_id IN ('<crafted-1@example.ru>', '<crafted-2@bluebird-bikes.example>')`); n != 1 {
		t.Errorf("reply and parent in %d conversations, want 1", n)
	}
	countersRight(t, dst)
	// Again, into the copy and into the source: nothing doubles.
	for name, st := range map[string]*store.Store{"copy": dst, "source": src} {
		before := count(t, st, `SELECT count(*) FROM messages`)
		sum, err := Import(ctx, st, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Imported != 0 || sum.Skipped != total || count(t, st, `SELECT count(*) FROM messages`) != before {
			t.Errorf("%s: second import: got %+v, want all %d skipped", name, sum, total)
		}
	}
}

// dump is a store's history in a comparable form.
func dump(t *testing.T, st *store.Store) string {
	t.Helper()
	var lines []string
	for _, q := range []string{
		`SELECT m.id || '|' || m.conversation_id || '|' || m.channel || '|' || m.direction || '|' || m.sent_at || '|' || m.from_addr || '|' || m.to_json || '|' || m.subject || '|' || m.body_text || '|' || m.message_id || '|' || m.is_read || '|' || m.thread_reason || '|' || COALESCE(r.size, -1) FROM messages m LEFT JOIN message_raw r ON r.seq = m.seq`,
		`SELECT a.id || '|' || a.name || '|' || a.size || '|' || hex(a.data) FROM attachments a`,
		`SELECT c.id || '|' || c.subject || '|' || c.status || '|' || c.snoozed_until || '|' || c.message_count || '|' || c.unread_count || '|' || ct.name FROM conversations c JOIN contacts ct ON ct.id = c.contact_id`,
		`SELECT cl.conversation_id || '|' || l.name || '|' || l.color FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id`,
		`SELECT n.id || '|' || n.body || '|' || n.created_at FROM notes n`,
		`SELECT e.id || '|' || e.kind || '|' || e.detail FROM events e`,
		`SELECT i.channel || '|' || i.address || '|' || c.name FROM identities i JOIN contacts c ON c.id = i.contact_id`,
	} {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			lines = append(lines, s)
		}
		rows.Close()
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := source(t)
	want := dump(t, src)
	total := count(t, src, `SELECT count(*) FROM messages`)
	for _, mode := range []export.AttachmentMode{export.AttachFiles, export.AttachBase64} {
		t.Run(string(mode), func(t *testing.T) {
			path := exportTo(t, src, export.JSON, "all.json", mode)
			dst := newStore(t)
			sum, err := Import(ctx, dst, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Imported != total || sum.Skipped != 0 {
				t.Fatalf("got %+v, want %d imported", sum, total)
			}
			if got := dump(t, dst); got != want {
				t.Errorf("history differs after the round trip:\n%s", firstDiff(got, want))
			}
			if rawDigests(t, dst)["<crafted-1@example.ru>"] != rawDigests(t, src)["<crafted-1@example.ru>"] {
				t.Error("original bytes differ")
			}
			sum, err = Import(ctx, dst, path, nil)
			if err != nil || sum.Imported != 0 || sum.Skipped != total {
				t.Errorf("second import: got %+v %v, want all skipped", sum, err)
			}
			if got := dump(t, dst); got != want {
				t.Error("second import changed the store")
			}
		})
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "got  " + al[i] + "\nwant " + bl[i]
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(al), len(bl))
}

func TestEMLZipRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := source(t)
	path := exportTo(t, src, export.EML, "all.zip", "")
	dst := newStore(t)
	sum, err := Import(ctx, dst, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if total := count(t, src, `SELECT count(*) FROM messages`); sum.Kind != KindEMLZip || sum.Imported != total {
		t.Errorf("got %+v, want %d imported", sum, total)
	}
}

// maildir writes messages into a Maildir with the given file names.
func maildir(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMaildirAndFolder(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	// An mbsync-style tree: INBOX and Sent as Maildirs, plus a stray file.
	maildir(t, filepath.Join(root, "INBOX"), map[string]string{
		"cur/1700000000.1.host:2,S":  msgCyrillic,
		"new/1700000001.2.host":      strings.Replace(msgCyrillic, "crafted-1@", "crafted-9@", 1),
		"cur/1700000002.3.host:2,FS": "\x00\x01\x02 binary junk, not a message at all",
	})
	maildir(t, filepath.Join(root, "INBOX", ".Sent"), map[string]string{"cur/1700000003.4.host:2,S": msgReply})
	os.WriteFile(filepath.Join(root, "notes.txt"), []byte("shopping list"), 0o644)
	// An mbox whose first line was lost: the rest of the folder still comes in.
	os.WriteFile(filepath.Join(root, "Archive"), []byte("From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nhi\n"), 0o644)
	os.WriteFile(filepath.Join(root, "Broken.zip"), []byte("PK\x03\x04 but not really a zip"), 0o644)
	os.WriteFile(filepath.Join(root, "INBOX", "dovecot-uidlist"), []byte("3 V1 N4\n"), 0o644)
	os.WriteFile(filepath.Join(root, "INBOX", ".mbsyncstate"), []byte("state"), 0o644)
	st := newStore(t)
	sum, err := Import(ctx, st, root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Kind != KindFolder || sum.Imported != 5 || sum.Unreadable != 1 || len(sum.NotMail) != 2 {
		t.Fatalf("got %+v, want 5 imported, 1 unreadable, notes.txt and Broken.zip not mail", sum)
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE message_id = '<crafted-9@example.ru>' AND is_read = 0`); n != 1 {
		t.Error("a message in new/ without the S flag should be unread")
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE message_id = '<crafted-2@bluebird-bikes.example>' AND direction = 'out'`); n != 1 {
		t.Error("a message in Sent should be outgoing")
	}
	if n := count(t, st, `SELECT count(*) FROM messages m JOIN message_raw r ON r.seq = m.seq WHERE m.parse_error <> ''`); n != 1 {
		t.Error("the unreadable message was not kept with its original")
	}
	// A single Maildir on its own, with its Maildir++ subfolder.
	st2 := newStore(t)
	sum, err = Import(ctx, st2, filepath.Join(root, "INBOX"), nil)
	if err != nil || sum.Kind != KindMaildir || sum.Imported != 4 || len(sum.NotMail) != 0 {
		t.Errorf("single Maildir: got %+v %v", sum, err)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	st := source(t)
	before := dump(t, st)
	dir := t.TempDir()

	// Not mail at all.
	junk := filepath.Join(dir, "photo.jpg")
	os.WriteFile(junk, []byte("\xff\xd8\xff\xe0 not mail"), 0o644)
	if _, err := Import(ctx, st, junk, nil); !errors.Is(err, ErrNotMail) {
		t.Errorf("not mail: got %v, want ErrNotMail", err)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if _, err := Import(ctx, st, empty, nil); !errors.Is(err, ErrNotMail) {
		t.Errorf("empty folder: got %v, want ErrNotMail", err)
	}
	if _, err := Import(ctx, st, filepath.Join(dir, "missing.mbox"), nil); err == nil {
		t.Error("a missing file imported")
	}

	// A zip bomb: one entry of 64 MB of zeros.
	bomb := filepath.Join(dir, "bomb.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.eml")
	w.Write([]byte("From: a@b.example\r\nSubject: x\r\n\r\n"))
	zero := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(zero)
	}
	zw.Close()
	os.WriteFile(bomb, buf.Bytes(), 0o644)
	if _, err := Import(ctx, st, bomb, nil); !errors.Is(err, ErrZipBomb) {
		t.Errorf("zip bomb: got %v, want ErrZipBomb", err)
	}

	// JSON from a newer Tidings.
	newer := filepath.Join(dir, "newer.json")
	os.WriteFile(newer, []byte(`{"format":"tidings-export","version":99,"conversations":[]}`), 0o644)
	if _, err := Import(ctx, st, newer, nil); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("newer JSON: got %v", err)
	}
	// Damaged JSON.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format":"tidings-export","version":1,"conversations":[{"id":`), 0o644)
	if _, err := Import(ctx, st, bad, nil); !errors.Is(err, ErrNotMail) {
		t.Errorf("damaged JSON: got %v", err)
	}
	if got := dump(t, st); got != before {
		t.Errorf("bad input changed the store:\n%s", firstDiff(got, before))
	}

	// A JSON export whose blob points outside its folder: the file is not
	// read, the message comes in without it, and a warning says so.
	evil := filepath.Join(dir, "evil.json")
	os.WriteFile(evil, []byte(`{"format":"tidings-export","version":1,"accounts":[],"labels":[],"contacts":[],"conversations":[
{"id":"cv_evil","channel":"email","status":"open","labels":[],"notes":[],"events":[],"messages":[
{"id":"msg_evil","channel":"email","direction":"in","date":"2026-01-01T00:00:00.000Z","from":{"address":"x@example.com"},"to":[],"cc":[],"bcc":[],
 "references":[],"attachments":[],"raw":{"file":"../../../etc/passwd","size":10,"sha256":""}}]}]}`), 0o644)
	sum, err := Import(ctx, st, evil, nil)
	if err != nil || sum.Imported != 1 || !strings.Contains(strings.Join(sum.Warnings, " "), "outside the export") {
		t.Errorf("blob outside the export: got %+v %v", sum, err)
	}
	if n := count(t, st, `SELECT count(*) FROM message_raw r JOIN messages m ON m.seq = r.seq WHERE m.id = 'msg_evil'`); n != 0 {
		t.Error("a file outside the export was imported")
	}
}

func TestTruncatedMbox(t *testing.T) {
	ctx := context.Background()
	src := source(t)
	path := exportTo(t, src, export.MBOX, "all.mbox", "")
	data, _ := os.ReadFile(path)
	cut := bytes.LastIndex(data, []byte("\nFrom "))
	trunc := writeTemp(t, "trunc.mbox", string(data[:cut+200]))
	st := newStore(t)
	sum, err := Import(ctx, st, trunc, nil)
	if err != nil {
		t.Fatal(err)
	}
	total := count(t, src, `SELECT count(*) FROM messages`)
	if sum.Imported != total || len(sum.Warnings) == 0 || !strings.Contains(strings.Join(sum.Warnings, " "), "truncated") {
		t.Errorf("got %+v, want %d imported (the last one cut) and a warning", sum, total)
	}

	// Into a store that already holds mail: what was there is untouched.
	other := newStore(t)
	if _, err := Import(ctx, other, writeTemp(t, "other.mbox", "From ann@other.example Mon Jan  1 00:00:00 2024\n"+
		"From: Ann <ann@other.example>\nSubject: Hello\nMessage-ID: <other-1@other.example>\n\nhi\n"), nil); err != nil {
		t.Fatal(err)
	}
	before, beforeRaw := dump(t, other), rawDigests(t, other)
	if _, err := Import(ctx, other, trunc, nil); err != nil {
		t.Fatal(err)
	}
	after := map[string]bool{}
	for _, l := range strings.Split(dump(t, other), "\n") {
		after[l] = true
	}
	for _, l := range strings.Split(before, "\n") {
		if !after[l] {
			t.Errorf("importing a truncated mbox changed %q", l)
		}
	}
	afterRaw := rawDigests(t, other)
	for mid, d := range beforeRaw {
		if afterRaw[mid] != d {
			t.Errorf("the original of %s changed", mid)
		}
	}
	var ok string
	if other.DB().QueryRow(`PRAGMA integrity_check`).Scan(&ok); ok != "ok" {
		t.Errorf("integrity check: %q", ok)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name, data string
		want       Kind
	}{
		{"mbox", "From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nhi\n", KindMbox},
		{"eml", "Received: from x\r\nFrom: a@b\r\nSubject: x\r\n\r\nhi", KindEML},
		{"json", `{"format":"tidings-export","version":1}`, KindJSON},
		{"text", "Dear diary,\ntoday: nothing.\n", ""},
		{"one header", "Subject: x\n\nbody", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sniff([]byte(c.data)); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

var _ = sql.ErrNoRows

func TestJSONKeepsAccountsAndChats(t *testing.T) {
	ctx := context.Background()
	src := source(t)
	accs, _ := src.Accounts(ctx)
	var tgAcc, tgConv string
	for _, a := range accs {
		if a.Channel == inbox.ChannelTelegram {
			tgAcc = a.ID
		}
	}
	src.DB().QueryRow(`SELECT id FROM conversations WHERE channel = 'telegram' LIMIT 1`).Scan(&tgConv)
	if err := src.Tx(ctx, func(tx *sql.Tx) error { return src.SetThreadTx(ctx, tx, tgConv, tgAcc, "chat:551023") }); err != nil {
		t.Fatal(err)
	}
	path := exportTo(t, src, export.JSON, "all.json", export.AttachBase64)
	dst := newStore(t)
	for _, a := range accs {
		a := a
		if err := dst.CreateAccount(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := Import(ctx, dst, path, nil)
	if err != nil || len(sum.Warnings) != 0 {
		t.Fatalf("got %+v %v, want no warnings", sum, err)
	}
	if acc, key, err := dst.ConversationThread(ctx, tgConv); err != nil || acc != tgAcc || key != "chat:551023" {
		t.Errorf("chat thread: got %s %s %v", acc, key, err)
	}
	if n := count(t, dst, `SELECT count(*) FROM messages WHERE account_id IS NULL`); n != count(t, src, `SELECT count(*) FROM messages WHERE account_id IS NULL`) {
		t.Errorf("%d messages lost their account", n)
	}
}

// pyWriter writes a Maildir (with flags) and an mbox with Python's mailbox
// module: mail stores Tidings did not write.
const pyWriter = `
import mailbox, sys, os, email.message, email.utils
root = sys.argv[1]
def msg(i, subject, body):
    m = email.message.EmailMessage()
    m["From"] = "Анна Петрова <anna%d@example.ru>" % i
    m["To"] = "shop@example.com"
    m["Subject"] = subject
    m["Date"] = email.utils.format_datetime(email.utils.localtime())
    m["Message-ID"] = "<py-%d@example.ru>" % i
    m.set_content(body)
    return m
md = mailbox.Maildir(os.path.join(root, "Maildir"), create=True)
for i in range(3):
    mm = mailbox.MaildirMessage(msg(i, "Заказ %d" % i, "Привет!\nFrom the start of a line.\n注文番号 %d\n" % i))
    if i == 0:
        mm.set_subdir("cur"); mm.set_flags("SF")
    md.add(mm)
mb = mailbox.mbox(os.path.join(root, "box.mbox"), create=True)
for i in range(3, 6):
    mb.add(msg(i, "Question %d" % i, "From the start of a line.\nSecond line.\n"))
mb.flush()
print("ok")
`

func TestImportWrittenByPython(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if out := pythonRun(t, pyWriter, root); out != "ok" {
		t.Fatalf("python: %s", out)
	}
	st := newStore(t)
	sum, err := Import(ctx, st, filepath.Join(root, "Maildir"), nil)
	if err != nil || sum.Imported != 3 || sum.Unreadable != 0 {
		t.Fatalf("Maildir: %+v %v", sum, err)
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE message_id = '<py-0@example.ru>' AND is_read = 1 AND flagged = 1`); n != 1 {
		t.Error("Maildir flags S and F were not kept")
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE is_read = 0`); n != 2 {
		t.Errorf("got %d unread, want the 2 messages without the S flag", n)
	}
	sum, err = Import(ctx, st, filepath.Join(root, "box.mbox"), nil)
	if err != nil || sum.Imported != 3 {
		t.Fatalf("mbox: %+v %v", sum, err)
	}
	var text string
	st.DB().QueryRow(`SELECT body_text FROM messages WHERE message_id = '<py-3@example.ru>'`).Scan(&text)
	if !strings.HasPrefix(text, "From the start of a line.") {
		t.Errorf("mbox quoting not undone: %q", text)
	}
	var name string
	st.DB().QueryRow(`SELECT from_name FROM messages WHERE message_id = '<py-1@example.ru>'`).Scan(&name)
	if name != "Анна Петрова" {
		t.Errorf("got sender name %q", name)
	}
}

func pythonRun(t *testing.T, script string, args ...string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed")
		}
		t.Skip("python3 not installed")
	}
	out, err := exec.Command(py, append([]string{"-c", script}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestHeaderFlags(t *testing.T) {
	for _, c := range []struct {
		name, hdr     string
		read, flagged bool
	}{
		{"none: history", "Subject: x\r\n", true, false},
		{"mutt unread", "Status: O\r\nSubject: x\r\n", false, false},
		{"mutt read flagged", "Status: RO\r\nX-Status: F\r\n", true, true},
		{"thunderbird unread", "X-Mozilla-Status: 0000\r\n", false, false},
		{"thunderbird read marked", "X-Mozilla-Status: 0005\r\n", true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, f := headerFlags([]byte(c.hdr + "\r\nbody"))
			if r != c.read || f != c.flagged {
				t.Errorf("got read %v flagged %v, want %v %v", r, f, c.read, c.flagged)
			}
		})
	}
}

func TestBudget(t *testing.T) {
	ctx := context.Background()
	b := newBudget(4 * budgetUnit)
	// A message larger than the budget takes half of it, no more.
	if err := b.acquire(ctx, 100*budgetUnit); err != nil || len(b.tokens) != 2 {
		t.Fatalf("got %d units held, %v; want 2", len(b.tokens), err)
	}
	if err := b.acquire(ctx, 1); err != nil || len(b.tokens) != 3 {
		t.Fatalf("got %d units held; want 3", len(b.tokens))
	}
	// The next large one waits until something is released.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := b.acquire(short, 100*budgetUnit); err == nil {
		t.Fatal("acquired beyond the budget")
	}
	if len(b.tokens) != 3 {
		t.Fatalf("a cancelled acquire kept %d units", len(b.tokens)-3)
	}
	b.release(100 * budgetUnit)
	b.release(1)
	if len(b.tokens) != 0 {
		t.Errorf("got %d units held after releasing everything", len(b.tokens))
	}
}

// A batch larger than the memory budget allows (many small messages) is
// stored early rather than waiting for reading, which waits for it.
// countersRight checks every conversation's counters and last message time
// against its messages (an import recounts once per batch).
func countersRight(t *testing.T, st *store.Store) {
	t.Helper()
	if n := count(t, st, `SELECT count(*) FROM conversations c WHERE
		message_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) OR
		unread_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.is_read = 0) OR
		last_message_at <> (SELECT max(sent_at) FROM messages m WHERE m.conversation_id = c.id)`); n != 0 {
		t.Errorf("%d conversations have counters that do not match their messages", n)
	}
}

func TestBatchLargerThanBudget(t *testing.T) {
	defer func(old int) { maxInFlight = old }(maxInFlight)
	maxInFlight = 16 * budgetUnit // 16 messages in flight at most
	files := map[string]string{}
	for i := 0; i < 40; i++ {
		// One thread across every batch: its counters must come out right.
		reply := ""
		if i > 0 {
			reply = fmt.Sprintf("In-Reply-To: <n%d@example.com>\r\n", i-1)
		}
		files[fmt.Sprintf("cur/%d.%d.host:2,S", 1700000000+i, i)] = fmt.Sprintf("From: c@example.com\r\nSubject: Re: note\r\n"+
			"Date: Mon, 1 Jan 2024 10:%02d:00 +0000\r\nMessage-ID: <n%d@example.com>\r\n%s\r\nhello %d\r\n", i, i, reply, i)
	}
	dir := filepath.Join(t.TempDir(), "Maildir")
	maildir(t, dir, files)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // fails, rather than hangs, if it deadlocks
	defer cancel()
	st := newStore(t)
	sum, err := Import(ctx, st, dir, &Options{BatchSize: 1000})
	if err != nil || sum.Imported != 40 || sum.Conversations != 1 {
		t.Fatalf("got %+v, %v; want 40 imported in 1 conversation", sum, err)
	}
	countersRight(t, st)
}

// Mail imported under an account threads with that account's mail and is
// the same message a later sync of it would store.
func TestImportUnderAccount(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	acc := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: "hello@bluebird-bikes.example"}
	if err := st.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	sum, err := Import(ctx, st, writeTemp(t, "a.eml", msgCyrillic), &Options{Account: &acc})
	if err != nil || sum.Imported != 1 {
		t.Fatalf("got %+v %v", sum, err)
	}
	// The reply comes from the account's own address: outgoing, same conversation.
	sum, err = Import(ctx, st, writeTemp(t, "b.eml", msgReply), &Options{Account: &acc})
	if err != nil || sum.Imported != 1 {
		t.Fatalf("got %+v %v", sum, err)
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE account_id IS NOT NULL`); n != 2 {
		t.Errorf("got %d messages under the account, want 2", n)
	}
	if n := count(t, st, `SELECT count(DISTINCT conversation_id) FROM messages`); n != 1 {
		t.Errorf("got %d conversations, want 1", n)
	}
	if n := count(t, st, `SELECT count(*) FROM messages WHERE direction = 'out'`); n != 1 {
		t.Errorf("the account's own message is not outgoing")
	}
}
