package app

import (
	"os"
	"path/filepath"
	"testing"

	"tidings/backend/workspace"
)

func TestExportImportBackupForget(t *testing.T) {
	a, rec := newInbox(t)
	if _, err := a.LoadDemo(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := a.Export(ExportRequest{Format: "mbox", Out: filepath.Join(dir, "all.mbox")})
	if err != nil || res.Messages != 49 {
		t.Fatalf("export: %+v %v", res, err)
	}
	progress := 0
	for _, e := range rec.events {
		if e == EventExportProgress {
			progress++
		}
	}
	if progress < 2 {
		t.Errorf("got %d progress events, want several", progress)
	}
	list, _ := a.Conversations(workspace.ListOptions{})
	one, err := a.Export(ExportRequest{Format: "pdf", Out: filepath.Join(dir, "c.pdf"), Selection: workspace.Selection{ContactID: list[0].Contact.ID}})
	if err != nil || one.Messages == 0 || one.Messages == 49 {
		t.Errorf("contact export: %+v %v", one, err)
	}
	if _, err := a.Export(ExportRequest{Format: "docx", Out: filepath.Join(dir, "x")}); err == nil {
		t.Error("unknown format exported")
	}
	sum, err := a.Import(filepath.Join(dir, "all.mbox"))
	if err != nil || sum.Imported != 0 || sum.Skipped != 49 {
		t.Errorf("re-import: %+v %v, want all skipped", sum, err)
	}
	info, err := a.Backup(filepath.Join(dir, "b.db"))
	if err != nil || info.Messages != 49 {
		t.Errorf("backup: %+v %v", info, err)
	}
	if _, err := os.Stat(info.Path); err != nil {
		t.Error(err)
	}
	fr, err := a.ForgetContact(list[0].Contact.ID)
	if err != nil || fr.Messages == 0 {
		t.Errorf("forget: %+v %v", fr, err)
	}
}
