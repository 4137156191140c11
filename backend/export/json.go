package export

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// FilesDir is the folder beside a JSON export that holds its attachments
// and originals: "export.json" has "export.files".
func FilesDir(out string) string {
	return strings.TrimSuffix(out, filepath.Ext(out)) + ".files"
}

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func jsonAddrs(as []inbox.Address) []JSONAddress {
	out := make([]JSONAddress, 0, len(as))
	for _, a := range as {
		out = append(out, JSONAddress{Name: a.Name, Address: a.Address})
	}
	return out
}

// blobWriter stores bytes as base64 or as files in the files folder.
type blobWriter struct {
	mode     AttachmentMode
	tmpDir   string // where files are written during the export
	relDir   string // the files folder's name as the JSON refers to it
	files    int
	bytes    int64
	madeDirs map[string]bool
}

func (b *blobWriter) put(rel string, data []byte) (*JSONBlob, error) {
	sum := sha256.Sum256(data)
	blob := &JSONBlob{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	if b.mode == AttachBase64 {
		blob.Base64 = base64.StdEncoding.EncodeToString(data)
		return blob, nil
	}
	full := filepath.Join(b.tmpDir, filepath.FromSlash(rel))
	if d := filepath.Dir(full); !b.madeDirs[d] {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, createErr(d, err)
		}
		b.madeDirs[d] = true
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return nil, writeErr(err)
	}
	b.files++
	b.bytes += int64(len(data))
	blob.File = b.relDir + "/" + rel
	return blob, nil
}

// writeJSONExport writes the JSON document (schema.go, SCHEMA.md) and, in
// files mode, the folder beside it.
func writeJSONExport(ctx context.Context, st *store.Store, ids []string, o Options, p *progress, res *Result) error {
	bw := &blobWriter{mode: o.Attachments, madeDirs: map[string]bool{}}
	var finalDir string
	if o.Attachments == AttachFiles {
		finalDir = FilesDir(o.Out)
		if _, err := os.Stat(finalDir); err == nil {
			return fmt.Errorf("export: %s already exists; remove it or choose another file name", finalDir)
		}
		bw.relDir = filepath.Base(finalDir)
		bw.tmpDir = finalDir + ".part-" + randomHex()
		defer os.RemoveAll(bw.tmpDir)
	}
	err := writeFile(o.Out, res, func(w *countingWriter) error {
		return writeJSON(ctx, w, st, ids, o, p, res, bw)
	})
	if err != nil {
		return err
	}
	if bw.files > 0 {
		if err := os.Rename(bw.tmpDir, finalDir); err != nil {
			os.Remove(o.Out)
			return createErr(finalDir, err)
		}
		res.Files += bw.files
		res.Bytes += bw.bytes
	}
	return nil
}

func writeJSON(ctx context.Context, w io.Writer, st *store.Store, ids []string, o Options, p *progress, res *Result, bw *blobWriter) error {
	doc := Document{Format: SchemaName, Version: SchemaVersion, ExportedAt: jsonTime(o.Now()), Generator: o.Generator,
		Attachments: string(o.Attachments), Accounts: []JSONAccount{}, Labels: []JSONLabel{}, Contacts: []JSONContact{}}
	convs := make(map[string]inbox.Conversation, len(ids))
	accounts, contacts, labels := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var contactOrder []string
	for _, id := range ids {
		c, err := st.Conversation(ctx, id)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		convs[id] = c
		accounts[c.AccountID] = true
		if c.ContactID != "" && !contacts[c.ContactID] {
			contacts[c.ContactID] = true
			contactOrder = append(contactOrder, c.ContactID)
		}
		for _, l := range c.Labels {
			labels[strings.ToLower(l)] = true
		}
	}
	accs, err := st.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accs {
		if accounts[a.ID] {
			doc.Accounts = append(doc.Accounts, JSONAccount{ID: a.ID, Channel: string(a.Channel), Name: a.Name, Address: a.Address})
		}
	}
	ls, err := st.Labels(ctx)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if labels[strings.ToLower(l.Name)] {
			doc.Labels = append(doc.Labels, JSONLabel{ID: l.ID, Name: l.Name, Color: l.Color})
		}
	}
	for _, id := range contactOrder {
		c, err := st.Contact(ctx, id)
		if err != nil {
			return err
		}
		jc := JSONContact{ID: c.ID, Name: c.Name, Notes: c.Notes, CreatedAt: jsonTime(c.CreatedAt), Identities: []JSONIdentity{}, NoteList: []JSONNote{}}
		for _, i := range c.Identities {
			jc.Identities = append(jc.Identities, JSONIdentity{ID: i.ID, Channel: string(i.Channel), Address: i.Address, Display: i.Display})
		}
		notes, err := st.Notes(ctx, "", c.ID)
		if err != nil {
			return err
		}
		for _, n := range notes {
			jc.NoteList = append(jc.NoteList, JSONNote{ID: n.ID, Body: n.Body, CreatedAt: jsonTime(n.CreatedAt)})
		}
		doc.Contacts = append(doc.Contacts, jc)
	}
	// The head of the document, up to the conversations, in one piece; the
	// conversations are streamed one per line.
	head, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	head = head[:len(head)-len(`null}`)]
	if _, err := w.Write(head); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	first := true
	for start := 0; start < len(ids); start += 100 {
		batch := ids[start:min(start+100, len(ids))]
		msgs := map[string][]JSONMessage{}
		err := st.ScanMessages(ctx, batch, store.ScanOptions{Raw: true, AttachmentData: true}, func(m *inbox.Message) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			jm, err := jsonMessage(m, bw)
			if err != nil {
				return err
			}
			msgs[m.ConversationID] = append(msgs[m.ConversationID], jm)
			res.Messages++
			p.add(1)
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range batch {
			jc, err := jsonConversation(ctx, st, convs[id], msgs[id])
			if err != nil {
				return err
			}
			b, err := json.Marshal(jc)
			if err != nil {
				return err
			}
			if !first {
				if _, err := io.WriteString(w, ",\n"); err != nil {
					return err
				}
			}
			first = false
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}

func jsonConversation(ctx context.Context, st *store.Store, c inbox.Conversation, msgs []JSONMessage) (JSONConversation, error) {
	jc := JSONConversation{ID: c.ID, AccountID: c.AccountID, ContactID: c.ContactID, Channel: string(c.Channel), Subject: c.Subject,
		Status: string(c.Status), SnoozedUntil: jsonTime(c.SnoozedUntil), CreatedAt: jsonTime(c.CreatedAt),
		Labels: append([]string{}, c.Labels...), Messages: msgs, Notes: []JSONNote{}, Events: []JSONEvent{}}
	if jc.Messages == nil {
		jc.Messages = []JSONMessage{}
	}
	if acc, key, err := st.ConversationThread(ctx, c.ID); err == nil {
		jc.ChatThread = &JSONChatThread{AccountID: acc, Key: key}
	} else if !errors.Is(err, inbox.ErrNotFound) {
		return jc, err
	}
	for i := range jc.Messages {
		w, err := st.MessageWarnings(ctx, jc.Messages[i].ID)
		if err != nil {
			return jc, err
		}
		jc.Messages[i].ParseWarnings = w
	}
	notes, err := st.Notes(ctx, c.ID, "")
	if err != nil {
		return jc, err
	}
	for _, n := range notes {
		jc.Notes = append(jc.Notes, JSONNote{ID: n.ID, Body: n.Body, CreatedAt: jsonTime(n.CreatedAt)})
	}
	evs, err := st.Events(ctx, c.ID)
	if err != nil {
		return jc, err
	}
	for _, e := range evs {
		jc.Events = append(jc.Events, JSONEvent{ID: e.ID, Kind: e.Kind, Detail: e.Detail, At: jsonTime(e.At)})
	}
	return jc, nil
}

func jsonMessage(m *inbox.Message, bw *blobWriter) (JSONMessage, error) {
	jm := JSONMessage{ID: m.ID, AccountID: m.AccountID, Channel: string(m.Channel), Direction: string(m.Direction),
		Date: jsonTime(m.Date), ReceivedAt: jsonTime(m.ReceivedAt), From: JSONAddress{Name: m.From.Name, Address: m.From.Address},
		To: jsonAddrs(m.To), Cc: jsonAddrs(m.Cc), Bcc: jsonAddrs(m.Bcc), Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: append([]string{}, m.References...), Auto: m.Auto,
		Read: m.Read, Flagged: m.Flagged, ThreadReason: string(m.ThreadReason), ParseError: m.ParseError,
		ContentHash: m.ContentHash, Attachments: []JSONAttachment{}}
	dir := safeName(m.ConversationID, 40) + "/" + safeName(m.ID, 60)
	if m.Raw != nil {
		blob, err := bw.put(dir+".eml", m.Raw)
		if err != nil {
			return jm, err
		}
		jm.Raw = blob
	}
	for i, a := range m.Attachments {
		ja := JSONAttachment{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size, ContentID: a.ContentID, Inline: a.Inline}
		if a.Fetched || a.Data != nil {
			ext := filepath.Ext(a.Name)
			blob, err := bw.put(fmt.Sprintf("%s/%d-%s%s", dir, i+1, safeName(strings.TrimSuffix(a.Name, ext), 60), safeExt(ext)), a.Data)
			if err != nil {
				return jm, err
			}
			ja.Data = blob
		}
		jm.Attachments = append(jm.Attachments, ja)
	}
	return jm, nil
}

func safeExt(ext string) string {
	if ext == "" {
		return ""
	}
	e := safeName(ext[1:], 10)
	if e == "untitled" {
		return ""
	}
	return "." + e
}
