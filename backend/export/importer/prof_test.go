package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tidings/backend/export"
	"tidings/backend/store"
)

func TestProfImport(t *testing.T) {
	st := newStore(t)
	t0 := time.Now()
	sum, err := Import(context.Background(), st, os.Getenv("MD"), nil)
	t.Log(sum.Imported, err, time.Since(t0))
}

func TestProfExport(t *testing.T) {
	st, err := store.Open(context.Background(), os.Getenv("DB"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	res, err := export.Export(context.Background(), st, export.Options{Format: export.MBOX, Out: filepath.Join(t.TempDir(), "x.mbox")})
	t.Log(res.Messages, err, time.Since(t0))
}

func TestProfImportInto(t *testing.T) {
	st, err := store.Open(context.Background(), os.Getenv("DB"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	sum, err := Import(context.Background(), st, os.Getenv("MD"), nil)
	t.Log(sum.Imported, sum.Skipped, err, time.Since(t0))
}
