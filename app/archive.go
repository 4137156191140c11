package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Events the archive sends besides progress.
const (
	// EventMenu carries an application menu choice ("export", "import",
	// "backup", "restore") for the window to open its dialog.
	EventMenu = "menu:archive"
	// EventRestored says the store was replaced by a backup: the window
	// reloads everything.
	EventRestored = "store:restored"
)

// Job kinds: one of each may run at a time.
const (
	JobExport  = "export"
	JobImport  = "import"
	JobBackup  = "backup"
	JobRestore = "restore"
)

// Archive is bound to the window as window.go.app.Archive: export, import,
// backup and restore, the file pickers they use, and cancelling long work.
// It works on the Inbox's workspace and sends events through its Emitter.
type Archive struct {
	in    *Inbox
	shell Shell
	now   func() time.Time

	// Syncers are stopped while a restore replaces the store, and started
	// again on the restored one (its accounts may differ). Set once, before
	// the window runs.
	Syncers []Syncer

	mu      sync.Mutex
	running map[string]context.CancelFunc
	// skip, while an export runs, is closed by SkipDownloads.
	skip chan struct{}
}

// Syncer is a service running sync loops over the store: app.Mail and
// app.Channels.
type Syncer interface {
	Startup(ctx context.Context)
	Shutdown()
}

// NewArchive returns the archive service of an Inbox; shell opens the file
// pickers (WailsShell in the window).
func NewArchive(in *Inbox, shell Shell) *Archive {
	return &Archive{in: in, shell: shell, now: time.Now, running: map[string]context.CancelFunc{}}
}

// begin starts a job of one kind, refusing a second one of the same kind
// (and any job while a restore runs, and a restore while any job runs).
func (x *Archive) begin(kind string) (context.Context, func(), error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, busy := x.running[kind]; busy {
		return nil, nil, fmt.Errorf("%s: one is already running; wait for it or cancel it", kind)
	}
	if _, busy := x.running[JobRestore]; busy {
		return nil, nil, fmt.Errorf("%s: a restore is running; wait for it to finish", kind)
	}
	if kind == JobRestore && len(x.running) > 0 {
		for k := range x.running {
			return nil, nil, fmt.Errorf("restore: wait for the running %s to finish (or cancel it) first", k)
		}
	}
	ctx, cancel := context.WithCancel(x.in.ctx)
	x.running[kind] = cancel
	return ctx, func() {
		x.mu.Lock()
		delete(x.running, kind)
		x.mu.Unlock()
		cancel()
	}, nil
}

// Cancel stops a running job of this kind (export, import); it is a no-op
// when none runs. An export cancelled leaves no file behind; an import
// keeps what it stored before it stopped.
func (x *Archive) Cancel(kind string) {
	x.mu.Lock()
	cancel := x.running[kind]
	x.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Running lists the jobs running now.
func (x *Archive) Running() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := []string{}
	for k := range x.running {
		out = append(out, k)
	}
	return out
}

// PathRequest asks for a default path or a picker: Kind is export, import,
// backup or restore; Format the export format; Name a word for the file
// name (a contact's name, a view); Single says an export holds one
// conversation; Folder asks the import picker for a folder; Current is the
// path already typed, where the picker starts.
type PathRequest struct {
	Kind    string `json:"kind"`
	Format  string `json:"format"`
	Name    string `json:"name"`
	Single  bool   `json:"single"`
	Folder  bool   `json:"folder"`
	Current string `json:"current"`
}

// extensions per export format.
var extensions = map[string]string{"mbox": ".mbox", "eml": ".zip", "json": ".json", "csv": ".csv", "html": ".html", "pdf": ".pdf"}

// SuggestPath returns where a new export or backup goes unless the user
// says otherwise: the Documents folder (or home), a name with the date.
func (x *Archive) SuggestPath(r PathRequest) string {
	dir := x.startDir()
	day := x.now().Format("2006-01-02")
	switch r.Kind {
	case JobBackup:
		return filepath.Join(dir, "tidings-backup-"+day+".db")
	case JobExport:
		name := "tidings-" + slug(r.Name, "export") + "-" + day
		ext := extensions[r.Format]
		if r.Format == "html" && !r.Single {
			ext = "" // several conversations: a folder of transcripts
		}
		return filepath.Join(dir, name+ext)
	}
	return ""
}

// ChoosePath opens the native picker for r and returns the chosen path,
// "" when the user cancels.
func (x *Archive) ChoosePath(r PathRequest) (string, error) {
	if x.shell == nil {
		return "", fmt.Errorf("archive: no file picker in this build; type the path")
	}
	o := PickOptions{Dir: x.startDir()}
	if r.Current != "" {
		cur := ResolvePath(r.Current)
		if fi, err := os.Stat(cur); err == nil && fi.IsDir() {
			o.Dir = cur
		} else {
			o.Dir, o.Name = filepath.Dir(cur), filepath.Base(cur)
		}
	}
	switch r.Kind {
	case JobExport:
		o.Title = "Export to"
		if ext := extensions[r.Format]; ext != "" && !(r.Format == "html" && !r.Single) {
			o.Filters = []PickFilter{{Name: strings.ToUpper(r.Format) + " (*" + ext + ")", Pattern: "*" + ext}}
		}
		return x.shell.SaveFile(x.in.ctx, o)
	case JobBackup:
		o.Title = "Back up to"
		o.Filters = []PickFilter{{Name: "Tidings backup (*.db)", Pattern: "*.db"}}
		return x.shell.SaveFile(x.in.ctx, o)
	case JobRestore:
		o.Title, o.Name = "Restore from", ""
		o.Filters = []PickFilter{{Name: "Tidings backup (*.db)", Pattern: "*.db"}, {Name: "All files", Pattern: "*"}}
		return x.shell.OpenFile(x.in.ctx, o)
	case JobImport:
		if r.Folder {
			o.Title = "Import a folder of mail (Maildir or .eml files)"
			return x.shell.OpenFolder(x.in.ctx, o)
		}
		o.Title, o.Name = "Import mail", ""
		o.Filters = []PickFilter{{Name: "Mail (mbox, eml, zip, Tidings JSON)", Pattern: "*.mbox;*.mbx;*.eml;*.zip;*.json"}, {Name: "All files", Pattern: "*"}}
		return x.shell.OpenFile(x.in.ctx, o)
	}
	return "", fmt.Errorf("archive: no picker for %q", r.Kind)
}

// PathCheck says what writing to a path would do, before anything is
// written: whether it exists (and would be replaced), and any problem.
type PathCheck struct {
	Path    string `json:"path"`
	Exists  bool   `json:"exists"`
	Folder  bool   `json:"folder"`
	Problem string `json:"problem"`
}

// CheckDestination looks at where an export or backup would go: a missing
// or unwritable folder is a problem said at once, an existing file is
// reported so the window can say it will be replaced.
func (x *Archive) CheckDestination(path string) PathCheck {
	p := ResolvePath(path)
	c := PathCheck{Path: p}
	if strings.TrimSpace(path) == "" {
		c.Problem = "Choose where to write."
		return c
	}
	if fi, err := os.Stat(p); err == nil {
		c.Exists, c.Folder = true, fi.IsDir()
	}
	dir := filepath.Dir(p)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		c.Problem = fmt.Sprintf("The folder %s does not exist.", dir)
	case !fi.IsDir():
		c.Problem = fmt.Sprintf("%s is not a folder.", dir)
	default:
		f, err := os.CreateTemp(dir, ".tidings-check-*")
		if err != nil {
			c.Problem = fmt.Sprintf("Tidings cannot write in %s (%s).", dir, plainErr(err))
		} else {
			f.Close()
			os.Remove(f.Name())
		}
	}
	return c
}

// ResolvePath turns what a user typed into an absolute path: "~" is the
// home folder, and a relative path is relative to it.
func ResolvePath(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return ""
	}
	home, _ := os.UserHomeDir()
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		p = filepath.Join(home, p[2:])
	} else if !filepath.IsAbs(p) && home != "" {
		p = filepath.Join(home, p)
	}
	return filepath.Clean(p)
}

// lastDirKey is the setting holding the folder of the last export or
// backup: the next one is suggested there.
const lastDirKey = "archive.last_dir"

// rememberDir keeps the folder of a file just written.
func (x *Archive) rememberDir(path string) {
	if err := x.in.ws.Store.SetSetting(x.in.ctx, lastDirKey, filepath.Dir(path)); err != nil {
		slog.Warn("archive: remembering the folder", "err", err)
	}
}

// startDir is where a suggestion or a picker starts: the folder last
// written to, while it exists, else Documents or home.
func (x *Archive) startDir() string {
	if d, err := x.in.ws.Store.Setting(x.in.ctx, lastDirKey); err == nil && d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return defaultDir()
}

func defaultDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return os.TempDir()
	}
	if fi, err := os.Stat(filepath.Join(home, "Documents")); err == nil && fi.IsDir() {
		return filepath.Join(home, "Documents")
	}
	return home
}

// slug makes a file-name-safe word of s: letters and digits (of any
// script), runs of anything else one dash.
func slug(s, fallback string) string {
	var b strings.Builder
	dash := false
	n := 0
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		b.WriteRune(r)
		dash = false
		if n++; n >= 40 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return fallback
	}
	return out
}

// plainErr is an OS error's reason without the path it repeats.
func plainErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
