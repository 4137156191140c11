package export

import (
	"bytes"
	"context"
	"io"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// writeMbox writes messages as mboxrd: each message starts with a
// "From sender date" line, every body line that matches /^>*From / gets one
// more '>' (reversible, unlike mboxo), and each message ends with an empty
// line. Email keeps its original bytes; other channels become RFC 5322.
func writeMbox(ctx context.Context, w io.Writer, st *store.Store, ids []string, p *progress, res *Result) error {
	buf := make([]byte, 0, 64<<10)
	return st.ScanMessages(ctx, ids, store.ScanOptions{Raw: true, AttachmentData: true, DataOnlyWithoutRaw: true}, func(m *inbox.Message) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = AppendMboxrd(buf[:0], fromLineSender(m), m.Date, originalOrRFC5322(m))
		if _, err := w.Write(buf); err != nil {
			return err
		}
		res.Messages++
		p.add(1)
		return nil
	})
}

func fromLineSender(m *inbox.Message) string {
	if m.Channel == inbox.ChannelEmail && m.From.Address != "" && !strings.ContainsAny(m.From.Address, " \t\r\n") {
		return m.From.Address
	}
	a := mailAddress(m.Channel, inbox.Address{Address: m.From.Address})
	return strings.Trim(a, "<>")
}

// AppendMboxrd appends one mboxrd entry for msg to dst: the From_ line
// (sender and date in asctime form, UTC), the message with /^>*From / lines
// quoted once more, a line end if the message lacked one, and the empty
// separator line.
func AppendMboxrd(dst []byte, sender string, date time.Time, msg []byte) []byte {
	if sender == "" {
		sender = "MAILER-DAEMON"
	}
	if date.IsZero() {
		date = time.Unix(0, 0)
	}
	dst = append(dst, "From "...)
	dst = append(dst, sender...)
	dst = append(dst, ' ')
	dst = date.UTC().AppendFormat(dst, "Mon Jan _2 15:04:05 2006")
	dst = append(dst, '\n')
	dst = appendQuoted(dst, msg)
	if n := len(dst); dst[n-1] != '\n' {
		dst = append(dst, '\n')
	}
	return append(dst, '\n')
}

// appendQuoted appends msg to dst with one more '>' before every line that
// matches /^>*From /. It looks for "From " rather than at every line: most
// messages have no such line, and then it is one search and one copy.
func appendQuoted(dst, msg []byte) []byte {
	done := 0 // msg[:done] is in dst
	for i := 0; ; {
		k := bytes.Index(msg[i:], fromSpace)
		if k < 0 {
			break
		}
		k += i
		j := k
		for j > 0 && msg[j-1] == '>' {
			j--
		}
		if j == 0 || msg[j-1] == '\n' {
			dst = append(dst, msg[done:j]...)
			dst = append(dst, '>')
			done = j
		}
		i = k + len(fromSpace)
	}
	return append(dst, msg[done:]...)
}

var fromSpace = []byte("From ")
