package export

import (
	"context"
	"fmt"
	"strings"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// transcript is one conversation as the HTML and PDF writers print it.
type transcript struct {
	Conv     inbox.Conversation
	Contact  inbox.Contact
	Messages []inbox.Message
	Notes    []inbox.Note
	Events   []inbox.Event
}

// eachTranscript loads the selected conversations one batch at a time and
// calls fn for each, in order. Attachment data is loaded only when withData.
func eachTranscript(ctx context.Context, st *store.Store, ids []string, withData bool, fn func(t *transcript) error) error {
	for start := 0; start < len(ids); start += 50 {
		batch := ids[start:min(start+50, len(ids))]
		msgs := map[string][]inbox.Message{}
		err := st.ScanMessages(ctx, batch, store.ScanOptions{AttachmentData: withData}, func(m *inbox.Message) error {
			msgs[m.ConversationID] = append(msgs[m.ConversationID], *m)
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			t := &transcript{Messages: msgs[id]}
			if t.Conv, err = st.Conversation(ctx, id); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if t.Conv.ContactID != "" {
				if t.Contact, err = st.Contact(ctx, t.Conv.ContactID); err != nil {
					return fmt.Errorf("export: %w", err)
				}
			}
			if t.Notes, err = st.Notes(ctx, id, ""); err != nil {
				return err
			}
			if t.Events, err = st.Events(ctx, id); err != nil {
				return err
			}
			if err := fn(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// title is what a transcript is called.
func (t *transcript) title() string {
	if t.Conv.Subject != "" {
		return t.Conv.Subject
	}
	ch := string(t.Conv.Channel)
	if ch != "" {
		ch = strings.ToUpper(ch[:1]) + ch[1:]
	}
	return fmt.Sprintf("%s chat with %s", ch, t.Contact.DisplayName())
}

// fileName is the transcript's file name without extension.
func (t *transcript) fileName() string {
	return t.Conv.LastMessageAt.UTC().Format("2006-01-02") + "_" + safeName(t.title(), 60)
}

func sender(m *inbox.Message) string {
	if m.From.Name != "" {
		return m.From.Name + " <" + m.From.Address + ">"
	}
	return m.From.Address
}
