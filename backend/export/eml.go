package export

import (
	"archive/zip"
	"context"
	"io"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// writeEMLZip writes one .eml file (RFC 5322, the original bytes for email)
// per message into a zip archive, named "YYYY-MM-DD_HHMM_subject.eml".
func writeEMLZip(ctx context.Context, w io.Writer, st *store.Store, ids []string, p *progress, res *Result, now time.Time) error {
	zw := zip.NewWriter(w)
	names := uniqueNames{}
	err := st.ScanMessages(ctx, ids, store.ScanOptions{Raw: true, AttachmentData: true, DataOnlyWithoutRaw: true}, func(m *inbox.Message) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := names.name(EMLName(m), ".eml")
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: m.Date})
		if err != nil {
			return err
		}
		if _, err := f.Write(originalOrRFC5322(m)); err != nil {
			return err
		}
		res.Messages++
		p.add(1)
		return nil
	})
	if err != nil {
		return err
	}
	zw.SetComment("Exported by Tidings " + now.UTC().Format(time.RFC3339))
	return zw.Close()
}

// EMLName is a message's file name without extension: its date and subject.
func EMLName(m *inbox.Message) string {
	subj := m.Subject
	if subj == "" {
		subj = string(m.Channel) + " message"
	}
	return m.Date.UTC().Format("2006-01-02_1504") + "_" + safeName(subj, 60)
}
