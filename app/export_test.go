package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"tidings/backend/store"
	"tidings/backend/workspace"
)

// eventLog records events with their payloads; hook, if set, runs on each.
type eventLog struct {
	mu     sync.Mutex
	names  []string
	data   []any
	hook   func(name string)
	hooked bool
}

func (l *eventLog) Emit(name string, data ...any) {
	l.mu.Lock()
	l.names = append(l.names, name)
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	l.data = append(l.data, d)
	hook := l.hook
	l.mu.Unlock()
	if hook != nil {
		hook(name)
	}
}

func (l *eventLog) count(name string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.names {
		if e == name {
			n++
		}
	}
	return n
}

func (l *eventLog) last(name string) any {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.names) - 1; i >= 0; i-- {
		if l.names[i] == name {
			return l.data[i]
		}
	}
	return nil
}

// fakeShell stands in for the native pickers: it answers with Answer and
// records what it was asked.
type fakeShell struct {
	Answer string
	Asked  []string
	Opts   []PickOptions
	Quits  int
}

func (f *fakeShell) pick(kind string, o PickOptions) (string, error) {
	f.Asked = append(f.Asked, kind)
	f.Opts = append(f.Opts, o)
	return f.Answer, nil
}
func (f *fakeShell) SaveFile(_ context.Context, o PickOptions) (string, error) {
	return f.pick("save", o)
}
func (f *fakeShell) OpenFile(_ context.Context, o PickOptions) (string, error) {
	return f.pick("open", o)
}
func (f *fakeShell) OpenFolder(_ context.Context, o PickOptions) (string, error) {
	return f.pick("folder", o)
}
func (f *fakeShell) Quit(context.Context) { f.Quits++ }

type fakeSyncer struct{ log string }

func (f *fakeSyncer) Startup(context.Context) { f.log = strings.TrimPrefix(f.log+",start", ",") }
func (f *fakeSyncer) Shutdown()               { f.log = strings.TrimPrefix(f.log+",stop", ",") }

// newArchive opens a real workspace in a temp dir, with the demo inbox if
// seeded.
func newArchive(t *testing.T, seeded bool) (*Archive, *eventLog, *fakeShell) {
	t.Helper()
	ws, err := workspace.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	log := &eventLog{}
	in := New(ws, log)
	if seeded {
		if _, err := in.LoadDemo(); err != nil {
			t.Fatal(err)
		}
	}
	sh := &fakeShell{}
	return NewArchive(in, sh), log, sh
}

// mboxMessages counts the messages of an mbox file (its "From " lines at
// the start of the file or after a blank line).
func mboxMessages(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	prevBlank := true
	for sc.Scan() {
		line := sc.Text()
		if prevBlank && strings.HasPrefix(line, "From ") {
			n++
		}
		prevBlank = line == ""
	}
	return n
}

func TestArchiveExportReadBackAndImport(t *testing.T) {
	x, log, _ := newArchive(t, true)
	dir := t.TempDir()
	res, err := x.Export(ExportRequest{Format: "mbox", Out: filepath.Join(dir, "all.mbox")})
	if err != nil || res.Messages != 49 || res.Bytes == 0 {
		t.Fatalf("export: %+v %v", res, err)
	}
	if n := mboxMessages(t, res.Path); n != 49 {
		t.Errorf("the mbox holds %d messages, want 49", n)
	}
	if log.count(EventExportProgress) < 2 {
		t.Errorf("got %d progress events, want several", log.count(EventExportProgress))
	}
	if p, ok := log.last(EventExportProgress).(Progress); !ok || p.Done != 49 || p.Total != 49 {
		t.Errorf("last progress: %+v, want 49 of 49", log.last(EventExportProgress))
	}

	// JSON with attachments beside it, and with base64 inside.
	for _, mode := range []string{"files", "base64"} {
		out := filepath.Join(dir, "all-"+mode+".json")
		r, err := x.Export(ExportRequest{Format: "json", Out: out, Attachments: mode})
		if err != nil {
			t.Fatalf("json %s: %v", mode, err)
		}
		var doc struct {
			Format        string            `json:"format"`
			Attachments   string            `json:"attachments"`
			Conversations []json.RawMessage `json:"conversations"`
		}
		data, _ := os.ReadFile(out)
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("json %s does not parse: %v", mode, err)
		}
		if doc.Format != "tidings-export" || doc.Attachments != mode || len(doc.Conversations) != r.Conversations {
			t.Errorf("json %s: format %q attachments %q, %d conversations (result says %d)", mode, doc.Format, doc.Attachments, len(doc.Conversations), r.Conversations)
		}
		_, statErr := os.Stat(strings.TrimSuffix(out, ".json") + ".files")
		if (mode == "files") != (statErr == nil) {
			t.Errorf("json %s: files folder beside it: %v", mode, statErr)
		}
	}

	// A contact's export, and one conversation's.
	list, _ := x.in.Conversations(workspace.ListOptions{})
	one, err := x.Export(ExportRequest{Format: "pdf", Out: filepath.Join(dir, "c.pdf"), Selection: workspace.Selection{ContactID: list[0].Contact.ID}})
	if err != nil || one.Messages == 0 || one.Messages == 49 {
		t.Errorf("contact export: %+v %v", one, err)
	}
	conv, err := x.Export(ExportRequest{Format: "csv", Out: "~/../" + strings.TrimPrefix(filepath.Join(dir, "one.csv"), "/"), Selection: workspace.Selection{ConversationIDs: []string{list[0].ID}}})
	if err != nil || conv.Conversations != 1 {
		t.Errorf("conversation export: %+v %v", conv, err)
	}

	// A search result and a view, as the dialog sends them.
	found, err := x.Export(ExportRequest{Format: "json", Out: filepath.Join(dir, "helmet.json"), Selection: workspace.Selection{Query: "helmet"}})
	if err != nil || found.Conversations == 0 || found.Conversations >= 22 {
		t.Errorf("search export: %+v %v", found, err)
	}
	open, _ := x.in.Conversations(workspace.ListOptions{Status: "open"})
	viewRes, err := x.Export(ExportRequest{Format: "eml", Out: filepath.Join(dir, "open.zip"), Selection: workspace.Selection{Status: "open"}})
	if err != nil || viewRes.Conversations != len(open) {
		t.Errorf("view export: %+v %v, want %d conversations", viewRes, err, len(open))
	}

	// Bad requests say what is wrong.
	for _, c := range []struct {
		req  ExportRequest
		want string
	}{
		{ExportRequest{Format: "docx", Out: filepath.Join(dir, "x")}, "unknown format"},
		{ExportRequest{Format: "mbox", Out: ""}, "choose where"},
		{ExportRequest{Format: "mbox", Out: filepath.Join(dir, "missing", "x.mbox")}, "does not exist"},
		{ExportRequest{Format: "mbox", Out: filepath.Join(res.Path, "x.mbox")}, "cannot write"},
		{ExportRequest{Format: "mbox", Out: filepath.Join(dir, "q.mbox"), Selection: workspace.Selection{Query: "zzzqqqnothing"}}, "matches no conversation"},
	} {
		if _, err := x.Export(c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("export %+v: got %v, want %q", c.req, err, c.want)
		}
	}

	// Import the mbox into an empty inbox, then again: all duplicates.
	y, ylog, _ := newArchive(t, false)
	sum, err := y.Import(res.Path)
	if err != nil || sum.Imported != 49 || sum.Skipped != 0 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	if ylog.count(EventImportProgress) == 0 || ylog.count(EventChanged) == 0 {
		t.Errorf("import events: %v", ylog.names)
	}
	again, err := y.Import(res.Path)
	if err != nil || again.Imported != 0 || again.Skipped != 49 {
		t.Errorf("re-import: %+v %v, want all skipped", again, err)
	}
	if _, err := y.Import(filepath.Join(dir, "nothing-here.mbox")); err == nil {
		t.Error("importing a missing file succeeded")
	}
}

func TestArchiveCancelAndBusy(t *testing.T) {
	x, log, _ := newArchive(t, true)
	dir := t.TempDir()
	out := filepath.Join(dir, "cancelled.mbox")
	log.hook = func(name string) {
		if name == EventExportProgress {
			x.Cancel(JobExport)
		}
	}
	_, err := x.Export(ExportRequest{Format: "mbox", Out: out})
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("cancelled export: got %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a cancelled export left %d files, e.g. %s", len(left), left[0].Name())
	}
	log.hook = nil
	if len(x.Running()) != 0 {
		t.Errorf("still running: %v", x.Running())
	}
	x.Cancel(JobImport) // nothing runs: no-op

	// One job of a kind at a time; a restore waits for everything.
	_, done, err := x.begin(JobExport)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Export(ExportRequest{Format: "mbox", Out: out}); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("second export: %v", err)
	}
	if _, err := x.Restore(out); err == nil || !strings.Contains(err.Error(), "wait for the running export") {
		t.Errorf("restore during an export: %v", err)
	}
	done()
	if _, err := x.Export(ExportRequest{Format: "mbox", Out: out}); err != nil {
		t.Errorf("export after the first finished: %v", err)
	}
}

func TestArchiveBackupRestore(t *testing.T) {
	x, log, _ := newArchive(t, true)
	dir := t.TempDir()
	info, err := x.Backup(filepath.Join(dir, "b.db"))
	if err != nil || info.Messages != 49 {
		t.Fatalf("backup: %+v %v", info, err)
	}
	if _, err := store.CheckBackup(context.Background(), info.Path); err != nil {
		t.Fatalf("the backup does not check: %v", err)
	}
	list, _ := x.in.Conversations(workspace.ListOptions{})
	contact := list[0].Contact.ID
	preview, err := x.ForgetPreview(contact)
	if err != nil || preview.Messages == 0 || preview.Identities == 0 {
		t.Fatalf("forget preview: %+v %v", preview, err)
	}
	if again, _ := x.ForgetPreview(contact); again != preview {
		t.Fatalf("the preview changed the store: %+v then %+v", preview, again)
	}
	fr, err := x.ForgetContact(contact)
	if err != nil || fr != preview {
		t.Fatalf("forget: %+v %v, preview said %+v", fr, err, preview)
	}

	plan, err := x.InspectRestore(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Backup.Messages != 49 || plan.Current.Messages != 49-fr.Messages || plan.Older || plan.KeepAs == "" {
		t.Errorf("plan: %+v", plan)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a backup, just words"), 0o600)
	if _, err := x.InspectRestore(filepath.Join(dir, "gone.db")); err == nil || !strings.Contains(err.Error(), "no file at") {
		t.Errorf("inspecting a missing file: %v", err)
	}
	if _, err := x.InspectRestore(junk); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("inspecting junk: %v", err)
	}
	if _, err := x.Restore(junk); err == nil {
		t.Error("restored junk")
	}

	sync := &fakeSyncer{}
	x.Syncers = []Syncer{sync}
	ri, err := x.Restore(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	if sync.log != "stop,start" {
		t.Errorf("sync loops around the restore: %q, want stop,start", sync.log)
	}
	if ri.Previous == "" {
		t.Error("the previous store was not kept")
	} else if prev, err := store.CheckBackup(context.Background(), ri.Previous); err != nil || prev.Messages != 49-fr.Messages {
		t.Errorf("previous store: %+v %v", prev, err)
	}
	after, _ := x.in.Conversations(workspace.ListOptions{})
	if len(after) != len(list) {
		t.Errorf("after restore: %d conversations, want %d", len(after), len(list))
	}
	if log.count(EventRestored) != 1 || log.count(EventChanged) == 0 {
		t.Errorf("events after restore: %v", log.names)
	}
}

func TestArchivePathsAndPickers(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	os.Mkdir(filepath.Join(home, "Documents"), 0o700)
	x, _, sh := newArchive(t, false)
	got := x.SuggestPath(PathRequest{Kind: JobExport, Format: "eml", Name: "Alice Smith / VIP, l'été"})
	if filepath.Dir(got) != filepath.Join(home, "Documents") || !strings.HasPrefix(filepath.Base(got), "tidings-alice-smith-vip-l-été-") || filepath.Ext(got) != ".zip" {
		t.Errorf("suggested export path %s", got)
	}
	if got := x.SuggestPath(PathRequest{Kind: JobExport, Format: "html"}); filepath.Ext(got) != "" {
		t.Errorf("html of several conversations is a folder, got %s", got)
	}
	if got := x.SuggestPath(PathRequest{Kind: JobBackup}); filepath.Ext(got) != ".db" {
		t.Errorf("backup path %s", got)
	}
	// The next suggestion goes where the last backup went, while it exists.
	elsewhere := filepath.Join(home, "backups")
	os.Mkdir(elsewhere, 0o700)
	if _, err := x.Backup(filepath.Join(elsewhere, "b.db")); err != nil {
		t.Fatal(err)
	}
	if got := x.SuggestPath(PathRequest{Kind: JobExport, Format: "csv"}); filepath.Dir(got) != elsewhere {
		t.Errorf("after a backup in %s the export is suggested at %s", elsewhere, got)
	}
	os.RemoveAll(elsewhere)
	if got := x.SuggestPath(PathRequest{Kind: JobBackup}); filepath.Dir(got) != filepath.Join(home, "Documents") {
		t.Errorf("with the last folder gone, the backup is suggested at %s", got)
	}
	if ResolvePath("~/a/b.mbox") != filepath.Join(home, "a/b.mbox") || ResolvePath("x.csv") != filepath.Join(home, "x.csv") || ResolvePath(" /tmp/y ") != "/tmp/y" {
		t.Error("ResolvePath")
	}

	sh.Answer = "/picked/file.mbox"
	p, err := x.ChoosePath(PathRequest{Kind: JobExport, Format: "mbox", Current: filepath.Join(home, "Documents", "old.mbox")})
	if err != nil || p != "/picked/file.mbox" || sh.Asked[0] != "save" || sh.Opts[0].Name != "old.mbox" || sh.Opts[0].Filters[0].Pattern != "*.mbox" {
		t.Errorf("export picker: %q %v %v %+v", p, err, sh.Asked, sh.Opts)
	}
	sh.Answer = "" // the user cancels
	for _, r := range []PathRequest{{Kind: JobImport}, {Kind: JobImport, Folder: true}, {Kind: JobBackup}, {Kind: JobRestore}} {
		if p, err := x.ChoosePath(r); err != nil || p != "" {
			t.Errorf("picker %+v: %q %v", r, p, err)
		}
	}
	if strings.Join(sh.Asked, ",") != "save,open,folder,save,open" {
		t.Errorf("pickers asked: %v", sh.Asked)
	}

	if c := x.CheckDestination(filepath.Join(home, "Documents", "new.mbox")); c.Problem != "" || c.Exists {
		t.Errorf("a new file: %+v", c)
	}
	os.WriteFile(filepath.Join(home, "there.csv"), []byte("a"), 0o600)
	if c := x.CheckDestination("~/there.csv"); !c.Exists || c.Problem != "" {
		t.Errorf("an existing file: %+v", c)
	}
	if c := x.CheckDestination("~/nope/x.mbox"); !strings.Contains(c.Problem, "does not exist") {
		t.Errorf("a missing folder: %+v", c)
	}
	if c := x.CheckDestination("~/there.csv/x.mbox"); !strings.Contains(c.Problem, "not a folder") {
		t.Errorf("a file as folder: %+v", c)
	}
	if c := x.CheckDestination(" "); c.Problem == "" {
		t.Errorf("no path: %+v", c)
	}
}

func TestMenu(t *testing.T) {
	x, log, sh := newArchive(t, false)
	m := Menu(x)
	var file []string
	for _, it := range m.Items {
		if it.Label != "File" || it.SubMenu == nil {
			continue
		}
		for _, sub := range it.SubMenu.Items {
			if sub.Label == "" {
				continue
			}
			file = append(file, sub.Label)
			sub.Click(nil)
		}
	}
	if !strings.HasPrefix(strings.Join(file, "|"), "Export…|Import…|Back Up…|Restore…") {
		t.Fatalf("File menu: %v", file)
	}
	var actions []string
	for i, n := range log.names {
		if n == EventMenu {
			actions = append(actions, log.data[i].(string))
		}
	}
	if strings.Join(actions, ",") != "export,import,backup,restore" {
		t.Errorf("menu events: %v", actions)
	}
	if len(file) == 5 && sh.Quits != 1 {
		t.Errorf("Quit called the shell %d times", sh.Quits)
	}
}
