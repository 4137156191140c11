package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/export"
	"tidings/backend/export/importer"
	"tidings/backend/store"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

// Events about long work, sent while it runs. The payload is a Progress.
const (
	EventExportProgress = "export:progress"
	EventImportProgress = "import:progress"
)

// Progress is the payload of the progress events: done of total messages
// (total 0 when unknown).
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
	// Phase is "download" while an export downloads messages stored
	// incomplete before writing them (SkipDownloads skips the rest);
	// empty while the job's own work is counted.
	Phase string `json:"phase,omitempty"`
}

// ExportResult says what an export wrote. (It mirrors export.Result: a
// type from a package named "export" cannot be bound, as Wails would make
// it a TypeScript namespace with a reserved name.)
type ExportResult struct {
	Format        string   `json:"format"`
	Path          string   `json:"path"`
	Conversations int      `json:"conversations"`
	Messages      int      `json:"messages"`
	Files         int      `json:"files"`
	Bytes         int64    `json:"bytes"`
	Warnings      []string `json:"warnings"`
}

// ExportRequest is what the export dialog asks for.
type ExportRequest struct {
	// Format is mbox, eml, json, csv, html or pdf.
	Format string `json:"format"`
	// Out is the file (or, for HTML of several conversations, the folder)
	// to write, as chosen in a save dialog.
	Out string `json:"out"`
	// Selection is what to export: conversations, a contact, a search or
	// a view; empty exports everything.
	Selection workspace.Selection `json:"selection"`
	// Attachments is "files" or "base64" for JSON.
	Attachments string `json:"attachments"`
	// NoBOM leaves the byte order mark out of CSV.
	NoBOM bool `json:"no_bom"`
}

func (a *Inbox) progress(event string) func(done, total int) {
	return a.phaseProgress(event, "")
}

func (a *Inbox) phaseProgress(event, phase string) func(done, total int) {
	return func(done, total int) {
		if a.emit != nil {
			a.emit.Emit(event, Progress{Done: done, Total: total, Phase: phase})
		}
	}
}

// SkipDownloads stops the running export's downloading of messages stored
// incomplete: it goes on at once with them as stored, and its warnings
// name each one. A no-op when no export is downloading.
func (x *Archive) SkipDownloads() {
	x.mu.Lock()
	skip := x.skip
	x.skip = nil
	x.mu.Unlock()
	if skip != nil {
		close(skip)
	}
}

// Export writes the selection in an open format, sending export:progress
// events as it goes. A cancelled export (Cancel("export")) leaves no file.
func (x *Archive) Export(req ExportRequest) (ExportResult, error) {
	f, err := export.ParseFormat(req.Format)
	if err != nil {
		return ExportResult{}, err
	}
	if strings.TrimSpace(req.Out) == "" {
		return ExportResult{}, fmt.Errorf("export: choose where to write the export")
	}
	req.Out = ResolvePath(req.Out)
	ctx, done, err := x.begin(JobExport)
	if err != nil {
		return ExportResult{}, err
	}
	defer done()
	a := x.in
	ids, err := a.ws.SelectConversations(ctx, req.Selection)
	if err != nil {
		return ExportResult{}, err
	}
	if ids == nil && (req.Selection.ContactID != "" || req.Selection.Query != "" || len(req.Selection.ConversationIDs) > 0) {
		ids = []string{}
	}
	skip := make(chan struct{})
	x.mu.Lock()
	x.skip = skip
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		if x.skip == skip {
			x.skip = nil
		}
		x.mu.Unlock()
	}()
	r, err := export.Export(ctx, a.ws.Store, export.Options{Format: f, ConversationIDs: ids, Out: req.Out,
		Attachments: export.AttachmentMode(req.Attachments), NoBOM: req.NoBOM, Progress: a.progress(EventExportProgress),
		Generator: "Tidings", Complete: syncer.New(a.ws.Store, &syncer.Options{Secrets: a.secretStore()}).FetchOriginals,
		DownloadProgress: a.phaseProgress(EventExportProgress, "download"), SkipDownloads: skip})
	if errors.Is(err, context.Canceled) {
		return ExportResult{}, fmt.Errorf("export: cancelled; nothing was written to %s", req.Out)
	}
	if err == nil {
		x.rememberDir(r.Path)
	}
	if errors.Is(err, export.ErrEmpty) {
		return ExportResult{}, fmt.Errorf("export: the selection holds no messages; nothing was written")
	}
	return ExportResult{Format: string(r.Format), Path: r.Path, Conversations: r.Conversations, Messages: r.Messages,
		Files: r.Files, Bytes: r.Bytes, Warnings: r.Warnings}, err
}

// Import reads an mbox, .eml, zip of .eml, Maildir, folder or Tidings JSON
// export into the inbox, sending import:progress events, and returns how
// many messages were imported, skipped and unreadable. Cancel("import")
// stops it; what was stored before is kept, and the error says how much.
func (x *Archive) Import(path string) (importer.Summary, error) {
	if strings.TrimSpace(path) == "" {
		return importer.Summary{}, fmt.Errorf("import: choose a file or folder to import")
	}
	ctx, done, err := x.begin(JobImport)
	if err != nil {
		return importer.Summary{}, err
	}
	defer done()
	a := x.in
	sum, err := importer.Import(ctx, a.ws.Store, ResolvePath(path), &importer.Options{Progress: a.progress(EventImportProgress)})
	if sum.Imported > 0 {
		a.changed()
		// A bulk import leaves the search index in many small segments;
		// merging them keeps the next searches fast.
		go a.ws.Store.MergeFTS(a.ctx, nil)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return sum, fmt.Errorf("import: stopped; the %d messages imported before you stopped are kept (%d already here were skipped)", sum.Imported, sum.Skipped)
	case err != nil && sum.Imported > 0:
		return sum, fmt.Errorf("%w (the %d messages imported before the error are kept)", err, sum.Imported)
	}
	return sum, err
}

// Backup writes a verified snapshot of the store to path while the app
// keeps running and syncing.
func (x *Archive) Backup(path string) (store.BackupInfo, error) {
	if strings.TrimSpace(path) == "" {
		return store.BackupInfo{}, fmt.Errorf("backup: choose where to write the backup")
	}
	ctx, done, err := x.begin(JobBackup)
	if err != nil {
		return store.BackupInfo{}, err
	}
	defer done()
	info, err := x.in.ws.Store.Backup(ctx, ResolvePath(path))
	if err == nil {
		x.rememberDir(info.Path)
	}
	return info, err
}
