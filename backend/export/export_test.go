package export

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// originals returns, for every message of ids in export order, the bytes an
// mbox or EML export must carry, written to dir as 0.eml, 1.eml, ...
func originals(t *testing.T, st *store.Store, ids []string, dir string) int {
	t.Helper()
	n := 0
	err := st.ScanMessages(context.Background(), ids, store.ScanOptions{Raw: true, AttachmentData: true}, func(m *inbox.Message) error {
		b := originalOrRFC5322(m)
		if len(b) > 0 && b[len(b)-1] != '\n' {
			b = append(b, '\n') // mbox ends every message with a line end
		}
		n++
		return os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.eml", n-1)), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const pyMbox = `
import mailbox, re, sys, os, email, email.policy
box = mailbox.mbox(sys.argv[1], create=False)
orig = sys.argv[2]
keys = list(box.keys())
want = len(os.listdir(orig))
assert len(keys) == want, ("count", len(keys), want)
for i, k in enumerate(keys):
    data = box.get_bytes(k)
    data = re.sub(rb'(?m)^>(>*From )', rb'\1', data)  # undo mboxrd quoting
    exp = open(os.path.join(orig, "%d.eml" % i), "rb").read()
    assert data == exp, ("bytes differ", i, data[:200], exp[:200])
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["From"] is not None and msg["Date"] is not None, i
subjects = [str(email.message_from_bytes(box.get_bytes(k), policy=email.policy.default)["Subject"]) for k in keys]
print(len(keys), "Заказ № 42" in subjects, "サイズ" in subjects)
`

func TestMboxReadByPython(t *testing.T) {
	st, _ := fixture(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "all.mbox")
	var calls int
	res, err := Export(context.Background(), st, Options{Format: MBOX, Out: out, Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := st.AllConversationIDs(context.Background())
	orig := filepath.Join(dir, "orig")
	os.Mkdir(orig, 0o755)
	n := originals(t, st, ids, orig)
	if res.Messages != n || calls < 2 {
		t.Errorf("got %d messages, %d progress calls; want %d messages and progress", res.Messages, calls, n)
	}
	got := python(t, pyMbox, out, orig)
	if want := fmt.Sprintf("%d True True", n); got != want {
		t.Errorf("python read: got %q, want %q", got, want)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "\n>From the start of this line") || !strings.Contains(string(b), "\n>>From quoted once") {
		t.Error("mboxrd quoting missing")
	}
}

func TestAppendMboxrd(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "Subject: a\n\nbody\n", "From a@b Thu Jan  1 00:00:00 1970\nSubject: a\n\nbody\n\n"},
		{"no final newline", "Subject: a\n\nbody", "From a@b Thu Jan  1 00:00:00 1970\nSubject: a\n\nbody\n\n"},
		{"from lines", "S: a\n\nFrom x\n>From y\nFromage\n", "From a@b Thu Jan  1 00:00:00 1970\nS: a\n\n>From x\n>>From y\nFromage\n\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := string(AppendMboxrd(nil, "a@b", zeroTime, []byte(c.in)))
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestAppendQuoted checks the search-based quoting against the rule read
// line by line, on pieces that combine every case.
func TestAppendQuoted(t *testing.T) {
	pieces := []string{"From ", ">", ">>From ", "x", "\n", "\r\n", "From", " ", "a>From ", "\n>From x"}
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for k := rng.Intn(12); k >= 0; k-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		in := []byte(b.String())
		var want []byte
		for rest := in; len(rest) > 0; {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line = rest[:i+1]
			}
			if l := bytes.TrimLeft(line, ">"); bytes.HasPrefix(l, []byte("From ")) {
				want = append(want, '>')
			}
			want = append(want, line...)
			rest = rest[len(line):]
		}
		if got := appendQuoted(nil, in); !bytes.Equal(got, want) {
			t.Fatalf("appendQuoted(%q) = %q, want %q", in, got, want)
		}
	}
}

const pyEML = `
import zipfile, sys, os, email, email.policy
z = zipfile.ZipFile(sys.argv[1])
orig = sys.argv[2]
names = z.namelist()
want = len(os.listdir(orig))
assert len(names) == want, ("count", len(names), want)
assert len(set(names)) == len(names), "duplicate names"
exp = sorted(open(os.path.join(orig, f), "rb").read() for f in os.listdir(orig))
got = []
for n in names:
    assert n.endswith(".eml") and n[:4].isdigit(), n
    data = z.read(n)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["Date"] is not None, n
    got.append(data if data.endswith(b"\n") else data + b"\n")
assert sorted(got) == exp, "bytes differ"
att = [p.get_filename() for n in names for p in email.message_from_bytes(z.read(n), policy=email.policy.default).iter_attachments()]
print(len(names), "invoice.pdf" in att, "frame photo.jpg" in att)
`

func TestEMLZipReadByPython(t *testing.T) {
	st, ids := fixture(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.zip")
	res, err := Export(context.Background(), st, Options{Format: EML, ConversationIDs: ids, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	orig := filepath.Join(dir, "orig")
	os.Mkdir(orig, 0o755)
	n := originals(t, st, ids, orig)
	if res.Messages != 3 || n != 3 {
		t.Fatalf("got %d messages exported, %d originals, want 3", res.Messages, n)
	}
	if got := python(t, pyEML, out, orig); got != "3 True True" {
		t.Errorf("python read: got %q", got)
	}
}

const pyCSV = `
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
bad = [r for r in rows for v in r.values() if v[:1] in ("=", "+", "-", "@")]
assert not bad, bad
tg = [r for r in rows if r["channel"] == "telegram" and "写真" in r["text"]]
assert tg and tg[0]["text"].endswith("'-5 degrees") is False and "\n-5 degrees" in tg[0]["text"], tg
print(len(rows), ",".join(list(rows[0].keys())[:4]), sum(1 for r in rows if "Здравствуйте" in r["text"]))
`

func TestCSVReadByPython(t *testing.T) {
	st, _ := fixture(t)
	out := filepath.Join(t.TempDir(), "all.csv")
	res, err := Export(context.Background(), st, Options{Format: CSV, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	got := python(t, pyCSV, out)
	want := fmt.Sprintf("%d conversation,conversation_subject,date,direction 3", res.Messages)
	if got != want {
		t.Errorf("python read: got %q, want %q", got, want)
	}
}

func TestCSVWithoutBOM(t *testing.T) {
	st, ids := fixture(t)
	out := filepath.Join(t.TempDir(), "x.csv")
	if _, err := Export(context.Background(), st, Options{Format: CSV, ConversationIDs: ids, Out: out, NoBOM: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "conversation,conversation_subject,") {
		t.Errorf("got %q, want the header first without a BOM", b[:40])
	}
}

func TestCSVCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1 555", "'+1 555"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"plain, text", "plain, text"},
		{"a\r\nb", "a\nb"},
		{"", ""},
	} {
		if got := CSVCell(c.in); got != c.want {
			t.Errorf("CSVCell(%q): got %q, want %q", c.in, got, c.want)
		}
	}
	long := strings.Repeat("я", excelCellLimit+10)
	if got := CSVCell(long); len([]rune(got)) != excelCellLimit || !strings.HasSuffix(got, "cell]") {
		t.Errorf("long cell: got %d runes", len([]rune(got)))
	}
}

const pyJSON = `
import json, sys, os, hashlib, base64
path = sys.argv[1]
doc = json.load(open(path, encoding="utf-8"))
assert doc["format"] == "tidings-export" and doc["version"] == 1
base = os.path.dirname(path)
blobs = 0
def check(b):
    global blobs
    if b is None: return
    data = open(os.path.join(base, b["file"]), "rb").read() if "file" in b else base64.b64decode(b["base64"])
    assert len(data) == b["size"] and hashlib.sha256(data).hexdigest() == b["sha256"], b
    blobs += 1
msgs = 0
for c in doc["conversations"]:
    for m in c["messages"]:
        msgs += 1
        check(m["raw"])
        for a in m["attachments"]: check(a["data"])
print(len(doc["conversations"]), msgs, blobs, len(doc["contacts"]), sum(len(c["notes"]) for c in doc["conversations"]))
`

func TestJSONReadByPython(t *testing.T) {
	st, _ := fixture(t)
	ctx := context.Background()
	for _, mode := range []AttachmentMode{AttachFiles, AttachBase64} {
		t.Run(string(mode), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "all.json")
			res, err := Export(ctx, st, Options{Format: JSON, Out: out, Attachments: mode})
			if err != nil {
				t.Fatal(err)
			}
			var raws, atts, notes int
			st.DB().QueryRow(`SELECT count(*) FROM message_raw`).Scan(&raws)
			st.DB().QueryRow(`SELECT count(*) FROM attachments`).Scan(&atts)
			st.DB().QueryRow(`SELECT count(*) FROM notes WHERE conversation_id IS NOT NULL`).Scan(&notes)
			ids, _ := st.AllConversationIDs(ctx)
			want := fmt.Sprintf("%d %d %d 10 %d", len(ids), res.Messages, raws+atts, notes)
			if got := python(t, pyJSON, out); got != want {
				t.Errorf("python read: got %q, want %q", got, want)
			}
			if mode == AttachFiles {
				if _, err := os.Stat(FilesDir(out)); err != nil {
					t.Errorf("files folder missing: %v", err)
				}
			}
		})
	}
}

func TestHTMLTranscript(t *testing.T) {
	st, ids := fixture(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "one.html")
	if _, err := Export(ctx, st, Options{Format: HTML, ConversationIDs: ids[1:], Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	s := string(b)
	for _, want := range []string{"Content-Security-Policy", "default-src &#39;none&#39;", "data:image/jpeg;base64,", "写真", "frame photo.jpg"} {
		if !strings.Contains(s, want) && !strings.Contains(s, strings.ReplaceAll(want, "&#39;", "'")) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "<script", "src=\"//"} {
		if strings.Contains(s, bad) {
			t.Errorf("transcript holds %q: a remote resource or script", bad)
		}
	}
	// Several conversations make a folder with an index.
	dir := filepath.Join(t.TempDir(), "transcripts")
	res, err := Export(ctx, st, Options{Format: HTML, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != res.Conversations+1 {
		t.Errorf("got %d files, want %d transcripts and an index", len(ents), res.Conversations)
	}
}

func TestHTMLEscapesMessageText(t *testing.T) {
	st, _ := fixture(t)
	ctx := context.Background()
	var convID string
	st.DB().QueryRow(`SELECT id FROM conversations LIMIT 1`).Scan(&convID)
	if _, err := st.DB().Exec(`UPDATE messages SET body_text = '<img src="https://tracker.example/p.gif"><script>alert(1)</script>', body_html = '<b>x</b><script>alert(2)</script>' WHERE conversation_id = ?`, convID); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x.html")
	if _, err := Export(ctx, st, Options{Format: HTML, ConversationIDs: []string{convID}, Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if strings.Contains(string(b), "<script>") || strings.Contains(string(b), "<img src=\"https://") {
		t.Error("message text reached the page unescaped")
	}
	if !strings.Contains(string(b), "<b>x</b>") {
		t.Error("the sanitized HTML body is missing")
	}
}

// An HTML body goes through the window's sanitizer: no script, no remote
// image, no tracker; its inline image comes from the message itself.
func TestHTMLBodySanitized(t *testing.T) {
	st, _ := fixture(t)
	ctx := context.Background()
	var convID string
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		c := inbox.Conversation{Channel: inbox.ChannelEmail, Subject: "Newsletter"}
		if err := st.CreateConversationTx(ctx, tx, &c); err != nil {
			return err
		}
		convID = c.ID
		m := inbox.Message{ConversationID: c.ID, Channel: inbox.ChannelEmail, Direction: inbox.In, From: inbox.Address{Address: "news@example.com"},
			Subject: "Newsletter", Text: "text version",
			HTML: `<p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script><img src="https://cdn.example.com/banner.png" alt="banner">` +
				`<img src="https://track.example.com/open.gif?u=1" width="1" height="1"><img src="cid:logo@shop"><a href="https://shop.example/sale">sale</a>` +
				`<iframe src="https://evil.example/"></iframe><link rel="stylesheet" href="https://evil.example/x.css"><div style="background:url(https://evil.example/bg.png)">bg</div>`,
			Attachments: []inbox.Attachment{{Name: "logo.jpg", ContentType: "image/jpeg", ContentID: "<logo@shop>", Inline: true, Data: demoJPEG(t), Fetched: true}}}
		_, err := st.InsertMessageTx(ctx, tx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "n.html")
	if _, err := Export(ctx, st, Options{Format: HTML, ConversationIDs: []string{convID}, Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	page := string(b)
	for _, bad := range []string{"<script", "onclick", "<iframe", "<link", `src="https://`, "url(", "track.example.com"} {
		if strings.Contains(page, bad) {
			t.Errorf("transcript holds %q", bad)
		}
	}
	for _, want := range []string{"Hello <b>there</b>", `src="data:image/jpeg;base64,`, `href="https://shop.example/sale"`, "tidings-blocked"} {
		if !strings.Contains(page, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
}

// failingWriter accepts limit bytes, then fails as a full disk does.
type failingWriter struct{ limit int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	}
	f.limit -= len(p)
	return len(p), nil
}

func TestFullDisk(t *testing.T) {
	st, _ := fixture(t)
	ids, _ := st.AllConversationIDs(context.Background())
	for _, f := range []Format{MBOX, EML, CSV} {
		cw := &countingWriter{w: &failingWriter{limit: 3000}}
		var res Result
		p := newProgress(nil, 0)
		var err error
		switch f {
		case MBOX:
			err = writeMbox(context.Background(), cw, st, ids, p, &res)
		case EML:
			err = writeEMLZip(context.Background(), cw, st, ids, p, &res, zeroTime)
		case CSV:
			err = writeCSV(context.Background(), cw, st, ids, p, &res, true)
		}
		if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "disk is full") {
			t.Errorf("%s: got %v, want a disk-full error", f, err)
		}
	}
}

func TestBadOutput(t *testing.T) {
	st, _ := fixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Export(ctx, st, Options{Format: MBOX, Out: filepath.Join(dir, "no", "such", "x.mbox")}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: got %v", err)
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	if os.Getuid() != 0 {
		if _, err := Export(ctx, st, Options{Format: MBOX, Out: filepath.Join(ro, "x.mbox")}); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("read-only folder: got %v", err)
		}
	}
	if _, err := Export(ctx, st, Options{Format: MBOX, Out: dir}); err == nil {
		t.Error("exporting onto a folder succeeded")
	}
	if _, err := Export(ctx, st, Options{Format: "docx", Out: filepath.Join(dir, "x")}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("unknown format: got %v", err)
	}
	if _, err := Export(ctx, st, Options{Format: MBOX, ConversationIDs: []string{"cv_nope"}, Out: filepath.Join(dir, "x")}); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown conversation: got %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("failed exports left files behind: %v", ents)
	}
}

func TestCancelledExportLeavesNothing(t *testing.T) {
	st, _ := fixture(t)
	dir := t.TempDir()
	for _, f := range Formats {
		ctx, cancel := context.WithCancel(context.Background())
		_, err := Export(ctx, st, Options{Format: f, Out: filepath.Join(dir, "x."+string(f)), Progress: func(done, total int) {
			if done > 0 {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", f, err)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a cancelled export left %v", ents)
	}
}
