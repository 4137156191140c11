package importer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tidings/backend/export"
	"tidings/backend/inbox"
)

// importJSON puts back a Tidings JSON export (export.Document) as it was:
// conversations with their IDs, statuses, labels, notes and timeline, and
// messages with their originals and attachments. The document is streamed,
// one conversation at a time. What is already stored (same message ID, or
// same Message-ID and content) is skipped and counted.
func (im *importer) importJSON(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("importer: cannot read %s: %w", path, err)
	}
	defer f.Close()
	im.jsonBase = filepath.Dir(path)
	dec := json.NewDecoder(f)
	bad := func(what string, err error) error {
		return fmt.Errorf("%w: %s is not a valid Tidings JSON export (%s): %v", ErrNotMail, path, what, err)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return bad("no object", err)
	}
	var head export.Document
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad("key", err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			err = dec.Decode(&head.Format)
		case "version":
			err = dec.Decode(&head.Version)
			if err == nil && head.Version > export.SchemaVersion {
				return fmt.Errorf("importer: %s uses JSON schema version %d, this Tidings reads up to %d; update Tidings to import it", path, head.Version, export.SchemaVersion)
			}
		case "accounts":
			err = dec.Decode(&head.Accounts)
		case "labels":
			err = dec.Decode(&head.Labels)
		case "contacts":
			err = dec.Decode(&head.Contacts)
		case "conversations":
			if head.Format != export.SchemaName || head.Version < 1 {
				return bad("format and version must come first", errors.New("missing header"))
			}
			if err := im.jsonHead(ctx, &head); err != nil {
				return err
			}
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return bad("conversations", err)
			}
			for dec.More() {
				var c export.JSONConversation
				if err := dec.Decode(&c); err != nil {
					return bad("conversation", err)
				}
				if err := im.jsonConversation(ctx, &c); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return bad(key, err)
		}
	}
	return nil
}

// jsonHead maps accounts, labels and contacts of the document onto the
// store: accounts to existing ones (the same ID, or channel and address),
// labels by name, contacts by an identity they share (else created with
// their exported ID).
func (im *importer) jsonHead(ctx context.Context, d *export.Document) error {
	accs, err := im.st.Accounts(ctx)
	if err != nil {
		return err
	}
	im.accounts = map[string]string{}
	for _, ja := range d.Accounts {
		for _, a := range accs {
			if a.ID == ja.ID || (string(a.Channel) == ja.Channel && a.Address != "" && strings.EqualFold(a.Address, ja.Address)) {
				im.accounts[ja.ID] = a.ID
			}
		}
		if im.accounts[ja.ID] == "" {
			im.warn(fmt.Sprintf("account %q (%s) is not set up here: its conversations are imported without an account", ja.Name, ja.Channel))
		}
	}
	im.contacts = map[string]string{}
	return im.st.Tx(ctx, func(tx *sql.Tx) error {
		for _, l := range d.Labels {
			id, err := im.st.EnsureLabelTx(ctx, tx, l.Name, l.Color)
			if err != nil {
				return err
			}
			im.labels[strings.ToLower(l.Name)] = id
		}
		for _, jc := range d.Contacts {
			id, err := im.jsonContact(ctx, tx, &jc)
			if err != nil {
				return err
			}
			im.contacts[jc.ID] = id
		}
		return nil
	})
}

func (im *importer) jsonContact(ctx context.Context, tx *sql.Tx, jc *export.JSONContact) (string, error) {
	var owner string
	for _, i := range jc.Identities {
		o, err := im.st.IdentityOwnerTx(ctx, tx, inbox.Channel(i.Channel), i.Address)
		if err == nil && o != "" {
			owner = o
			break
		}
	}
	if owner == "" {
		c := inbox.Contact{ID: jc.ID, Name: jc.Name, Notes: jc.Notes, CreatedAt: parseTime(jc.CreatedAt)}
		if ok, err := im.st.ContactExistsTx(ctx, tx, jc.ID); err != nil {
			return "", err
		} else if ok {
			c.ID = ""
		}
		if err := im.st.CreateContactTx(ctx, tx, &c); err != nil {
			return "", err
		}
		owner = c.ID
	}
	for _, i := range jc.Identities {
		id := inbox.Identity{ContactID: owner, Channel: inbox.Channel(i.Channel), Address: i.Address, Display: i.Display}
		if err := im.st.AddIdentityTx(ctx, tx, &id); err != nil && !errors.Is(err, inbox.ErrConflict) {
			im.warn(fmt.Sprintf("contact %s: identity %s %s not imported: %v", jc.Name, i.Channel, i.Address, err))
		}
	}
	for _, n := range jc.NoteList {
		if err := im.jsonNote(ctx, tx, n, "", owner); err != nil {
			return "", err
		}
	}
	return owner, nil
}

func (im *importer) jsonNote(ctx context.Context, tx *sql.Tx, n export.JSONNote, convID, contactID string) error {
	if ok, err := im.st.NoteExistsTx(ctx, tx, n.ID); err != nil || ok {
		return err
	}
	note := inbox.Note{ID: n.ID, ConversationID: convID, ContactID: contactID, Body: n.Body, CreatedAt: parseTime(n.CreatedAt)}
	if err := im.st.AddNoteTx(ctx, tx, &note); err != nil {
		return fmt.Errorf("importer: note %s: %w", n.ID, err)
	}
	return nil
}

// jsonConversation imports one conversation in one transaction.
func (im *importer) jsonConversation(ctx context.Context, jc *export.JSONConversation) error {
	return im.st.Tx(ctx, func(tx *sql.Tx) error {
		exists, err := im.st.ConversationExistsTx(ctx, tx, jc.ID)
		if err != nil {
			return err
		}
		if !exists {
			st, err := inbox.ParseStatus(jc.Status)
			if err != nil {
				st = inbox.StatusOpen
			}
			c := inbox.Conversation{ID: jc.ID, AccountID: im.accounts[jc.AccountID], ContactID: im.contacts[jc.ContactID],
				Channel: inbox.Channel(jc.Channel), Subject: jc.Subject, Status: st, SnoozedUntil: parseTime(jc.SnoozedUntil),
				CreatedAt: parseTime(jc.CreatedAt)}
			if err := im.st.CreateConversationTx(ctx, tx, &c); err != nil {
				return err
			}
			im.sum.Conversations++
			if t := jc.ChatThread; t != nil && im.accounts[t.AccountID] != "" {
				owner, err := im.st.ThreadConversationTx(ctx, tx, im.accounts[t.AccountID], t.Key)
				if err != nil && !errors.Is(err, inbox.ErrNotFound) {
					return err
				}
				if owner == "" {
					if err := im.st.SetThreadTx(ctx, tx, jc.ID, im.accounts[t.AccountID], t.Key); err != nil {
						return err
					}
				}
			}
		}
		for _, l := range jc.Labels {
			id, ok := im.labels[strings.ToLower(l)]
			if !ok {
				if id, err = im.st.EnsureLabelTx(ctx, tx, l, ""); err != nil {
					return err
				}
				im.labels[strings.ToLower(l)] = id
			}
			if err := im.st.PutConversationLabelTx(ctx, tx, jc.ID, id); err != nil {
				return err
			}
		}
		for i := range jc.Messages {
			if err := im.jsonMessage(ctx, tx, jc.ID, &jc.Messages[i]); err != nil {
				return err
			}
		}
		for _, n := range jc.Notes {
			if err := im.jsonNote(ctx, tx, n, jc.ID, ""); err != nil {
				return err
			}
		}
		for _, e := range jc.Events {
			if err := im.st.PutEventTx(ctx, tx, inbox.Event{ID: e.ID, ConversationID: jc.ID, Kind: e.Kind, Detail: e.Detail, At: parseTime(e.At)}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (im *importer) jsonMessage(ctx context.Context, tx *sql.Tx, convID string, jm *export.JSONMessage) error {
	defer im.progress.add(1)
	if ok, err := im.st.MessageExistsTx(ctx, tx, jm.ID); err != nil {
		return err
	} else if ok {
		im.sum.Skipped++
		return nil
	}
	m := &inbox.Message{ID: jm.ID, ConversationID: convID, AccountID: im.accounts[jm.AccountID], Channel: inbox.Channel(jm.Channel),
		Direction: inbox.Direction(jm.Direction), Date: parseTime(jm.Date), ReceivedAt: parseTime(jm.ReceivedAt),
		From: inbox.Address{Name: jm.From.Name, Address: jm.From.Address}, To: addrs(jm.To), Cc: addrs(jm.Cc), Bcc: addrs(jm.Bcc),
		Subject: jm.Subject, Text: jm.Text, HTML: jm.HTML, MessageID: jm.MessageID, InReplyTo: jm.InReplyTo, References: jm.References,
		Auto: jm.Auto, Read: jm.Read, Flagged: jm.Flagged, ThreadReason: inbox.ThreadReason(jm.ThreadReason), ParseError: jm.ParseError,
		ContentHash: jm.ContentHash}
	if m.Direction != inbox.In && m.Direction != inbox.Out {
		m.Direction = inbox.In
	}
	if jm.Raw != nil {
		data, err := im.blob(jm.Raw)
		if err != nil {
			im.warn(fmt.Sprintf("message %s: original not imported: %v", jm.ID, err))
		} else {
			m.Raw = data
		}
	}
	known, err := im.storedAlready(ctx, tx, []*inbox.Message{m})
	if err != nil {
		return err
	}
	if dup, err := im.isDuplicate(ctx, tx, m, known); err != nil || dup {
		if dup {
			im.sum.Skipped++
		}
		return err
	}
	for _, ja := range jm.Attachments {
		a := inbox.Attachment{ID: ja.ID, Name: ja.Name, ContentType: ja.ContentType, Size: ja.Size, ContentID: ja.ContentID, Inline: ja.Inline}
		if ja.Data != nil {
			data, err := im.blob(ja.Data)
			if err != nil {
				im.warn(fmt.Sprintf("message %s: attachment %q not imported: %v", jm.ID, ja.Name, err))
			} else {
				a.Data, a.Fetched = data, true
			}
		}
		m.Attachments = append(m.Attachments, a)
	}
	seq, err := im.st.InsertMessageTx(ctx, tx, m)
	if err != nil {
		return fmt.Errorf("importer: message %s: %w", jm.ID, err)
	}
	if err := im.afterInsert(ctx, tx, seq, m); err != nil {
		return err
	}
	if err := im.st.SetMessageWarningsTx(ctx, tx, seq, jm.ParseWarnings); err != nil {
		return err
	}
	im.sum.Imported++
	if m.ParseError != "" {
		im.sum.Unreadable++
	}
	return nil
}

// blob reads a file or base64 blob and checks its size and SHA-256.
func (im *importer) blob(b *export.JSONBlob) ([]byte, error) {
	var data []byte
	var err error
	switch {
	case b.File != "":
		rel := filepath.FromSlash(b.File)
		if filepath.IsAbs(rel) || strings.HasPrefix(filepath.Clean(rel), "..") {
			return nil, fmt.Errorf("file %q is outside the export's folder", b.File)
		}
		if b.Size > MaxMessageBytes {
			return nil, fmt.Errorf("file %q is larger than %d MB", b.File, MaxMessageBytes>>20)
		}
		data, err = os.ReadFile(filepath.Join(im.jsonBase, rel))
	default:
		data, err = base64.StdEncoding.DecodeString(b.Base64)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != b.Size || (b.SHA256 != "" && hex.EncodeToString(sum[:]) != b.SHA256) {
		return nil, errors.New("its size or checksum does not match the export: the file was changed or damaged")
	}
	return data, nil
}

func addrs(js []export.JSONAddress) []inbox.Address {
	var out []inbox.Address
	for _, a := range js {
		out = append(out, inbox.Address{Name: a.Name, Address: a.Address})
	}
	return out
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// afterInsert records an email message's references, as the threader does,
// so that mail synced later threads onto imported messages.
func (im *importer) afterInsert(ctx context.Context, tx *sql.Tx, seq int64, m *inbox.Message) error {
	if m.Channel != inbox.ChannelEmail {
		return nil
	}
	refs := append([]string(nil), m.References...)
	if m.InReplyTo != "" {
		refs = append(refs, m.InReplyTo)
	}
	return im.st.AddMessageRefsTx(ctx, tx, seq, refs)
}
