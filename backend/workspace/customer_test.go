package workspace

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"tidings/backend/inbox"
)

func TestCustomerTimelineAcrossChannels(t *testing.T) {
	ctx := context.Background()
	ws, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	st := ws.Store
	c := inbox.Contact{Name: "Ana", Identities: []inbox.Identity{{Channel: inbox.ChannelEmail, Address: "ana@example.com"}, {Channel: inbox.ChannelTelegram, Address: "4242"}}}
	if err := st.CreateContact(ctx, &c); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	add := func(ch inbox.Channel, texts ...string) {
		cv := inbox.Conversation{ContactID: c.ID, Channel: ch}
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			if err := st.CreateConversationTx(ctx, tx, &cv); err != nil {
				return err
			}
			for _, s := range texts {
				base = base.Add(time.Hour)
				if _, err := st.InsertMessageTx(ctx, tx, &inbox.Message{ConversationID: cv.ID, Channel: ch, Direction: inbox.In, Date: base, Text: s}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(inbox.ChannelEmail, "1 email")
	add(inbox.ChannelTelegram, "2 chat", "3 chat")
	v, err := ws.Customer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Conversations) != 2 || len(v.Contact.Identities) != 2 {
		t.Fatalf("customer = %+v, want 2 conversations and 2 identities", v)
	}
	var got []string
	for _, e := range v.Timeline {
		got = append(got, e.Channel+":"+e.Message.Text)
	}
	want := []string{"email:1 email", "telegram:2 chat", "telegram:3 chat"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("timeline = %v, want %v", got, want)
	}
}
