package export

import (
	"context"
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// CSVHeader is the first row of a CSV export, one column per field.
var CSVHeader = []string{"conversation", "conversation_subject", "date", "direction", "channel", "from", "to", "cc",
	"subject", "text", "attachments", "message_id"}

// excelCellLimit is the most characters one Excel cell holds.
const excelCellLimit = 32767

// writeCSV writes one row per message (RFC 4180: comma separated, fields
// with commas, quotes or line breaks quoted, CRLF row ends), UTF-8 with an
// optional byte order mark so that Excel does not guess a legacy code page.
// Cells that a spreadsheet would run as a formula are defused (see
// CSVCell); text longer than an Excel cell is cut with a marker.
func writeCSV(ctx context.Context, w io.Writer, st *store.Store, ids []string, p *progress, res *Result, bom bool) error {
	if bom {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	subjects := map[string]string{}
	err := st.ScanMessages(ctx, ids, store.ScanOptions{}, func(m *inbox.Message) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		subj, ok := subjects[m.ConversationID]
		if !ok {
			c, err := st.Conversation(ctx, m.ConversationID)
			if err != nil {
				return err
			}
			subj = c.Subject
			subjects = map[string]string{m.ConversationID: subj}
		}
		var files []string
		for _, a := range m.Attachments {
			files = append(files, a.Name)
		}
		row := []string{m.ConversationID, subj, m.Date.UTC().Format("2006-01-02 15:04:05"), string(m.Direction), string(m.Channel),
			m.From.String(), joinAddrs(m.To), joinAddrs(m.Cc), m.Subject, m.Text, strings.Join(files, "; "), m.MessageID}
		for i := range row {
			row[i] = CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		res.Messages++
		p.add(1)
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func joinAddrs(as []inbox.Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		parts = append(parts, a.String())
	}
	return strings.Join(parts, ", ")
}

// CSVCell prepares one value for a spreadsheet: a value starting with
// '=', '+', '-', '@', a tab or a carriage return would be run as a formula
// by Excel and LibreOffice (CSV injection), so it gets a leading apostrophe,
// which both show as text; line ends become CRLF-free LF inside the quoted
// field; a value longer than an Excel cell is cut with a marker.
func CSVCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			s = "'" + s
		}
	}
	if utf8.RuneCountInString(s) > excelCellLimit {
		const mark = " […cut: longer than a spreadsheet cell]"
		r := []rune(s)
		s = string(r[:excelCellLimit-utf8.RuneCountInString(mark)]) + mark
	}
	return s
}
