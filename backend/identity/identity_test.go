package identity

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

func open(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tidings.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var created int

func contact(t *testing.T, st *store.Store, name string, ids ...inbox.Identity) inbox.Contact {
	t.Helper()
	// Distinct creation times: "keep the older contact" must not depend on
	// two contacts made within the same millisecond.
	created++
	c := inbox.Contact{Name: name, Identities: ids, CreatedAt: time.Date(2026, 1, 1, 0, 0, created, 0, time.UTC)}
	if err := st.CreateContact(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSamePhoneOnTwoChannelsIsSuggestedOnce(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	a := contact(t, st, "Ana", inbox.Identity{Channel: inbox.ChannelWhatsApp, Address: "+351 912 345 678"})
	b := contact(t, st, "Ana Lima", inbox.Identity{Channel: inbox.ChannelSMS, Address: "+351912345678"})
	contact(t, st, "Other", inbox.Identity{Channel: inbox.ChannelSMS, Address: "+351900000000"})
	n, err := Refresh(ctx, st)
	if err != nil || n != 1 {
		t.Fatalf("refresh: %d new, %v; want 1", n, err)
	}
	if n, _ := Refresh(ctx, st); n != 0 {
		t.Errorf("second refresh found %d new, want 0", n)
	}
	sugs, err := Suggestions(ctx, st)
	if err != nil || len(sugs) != 1 {
		t.Fatalf("suggestions: %+v, %v", sugs, err)
	}
	g := sugs[0]
	if g.Reason != inbox.ReasonSamePhone || (g.A.ID != a.ID && g.A.ID != b.ID) || g.Detail == "" {
		t.Errorf("suggestion = %+v, want same-phone between Ana and Ana Lima with evidence", g)
	}
	if _, err := Accept(ctx, st, g.ID, "ct_stranger"); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("keeping a contact outside the suggestion: %v, want invalid", err)
	}
	if err := Dismiss(ctx, st, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := Accept(ctx, st, g.ID, ""); !errors.Is(err, inbox.ErrConflict) {
		t.Errorf("accepting a dismissed suggestion: %v, want conflict", err)
	}
	if n, _ := Refresh(ctx, st); n != 0 {
		t.Errorf("a dismissed pair came back (%d new)", n)
	}
	if sugs, _ := Suggestions(ctx, st); len(sugs) != 0 {
		t.Errorf("%d open suggestions after dismissal, want 0", len(sugs))
	}
}

func TestClaimedPhoneFromAContactCard(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	tg := contact(t, st, "Rui", inbox.Identity{Channel: inbox.ChannelTelegram, Address: "31337"})
	wa := contact(t, st, "Rui (WhatsApp)", inbox.Identity{Channel: inbox.ChannelWhatsApp, Address: "+351911111111"})
	err := st.Tx(ctx, func(tx *sql.Tx) error {
		return st.AddClaimTx(ctx, tx, &inbox.Claim{ContactID: tg.ID, Channel: inbox.ChannelPhone, Address: "+351 911 111 111"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := Refresh(ctx, st); n != 1 {
		t.Fatalf("%d suggestions, want 1", n)
	}
	sugs, _ := Suggestions(ctx, st)
	mergeID, err := Accept(ctx, st, sugs[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := st.Contact(ctx, tg.ID)
	if err != nil || len(kept.Identities) != 2 {
		t.Errorf("kept the older contact with both identities: %+v, %v", kept, err)
	}
	if _, err := st.Contact(ctx, wa.ID); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("merged contact still there: %v", err)
	}
	if _, err := Undo(ctx, st, mergeID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Contact(ctx, wa.ID); err != nil {
		t.Errorf("undo did not restore the contact: %v", err)
	}
}

func TestReplyGoesWhereTheCustomerLastWrote(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	mail := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop mail", Address: "shop@example.com"}
	bot := inbox.Account{Channel: inbox.ChannelTelegram, Name: "Shop bot"}
	for _, a := range []*inbox.Account{&mail, &bot} {
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	c := contact(t, st, "Ana", inbox.Identity{Channel: inbox.ChannelEmail, Address: "ana@example.com"},
		inbox.Identity{Channel: inbox.ChannelTelegram, Address: "4242"})
	now := time.Now().UTC()
	conv := func(acct inbox.Account, at time.Time) string {
		cv := inbox.Conversation{AccountID: acct.ID, ContactID: c.ID, Channel: acct.Channel}
		err := st.Tx(ctx, func(tx *sql.Tx) error {
			if err := st.CreateConversationTx(ctx, tx, &cv); err != nil {
				return err
			}
			_, err := st.InsertMessageTx(ctx, tx, &inbox.Message{ConversationID: cv.ID, AccountID: acct.ID, Channel: acct.Channel,
				Direction: inbox.In, Date: at, Text: "hi"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return cv.ID
	}
	emailConv := conv(mail, now.Add(-48*time.Hour))
	tgConv := conv(bot, now.Add(-time.Hour))
	opts, err := ReplyOptions(ctx, st, emailConv)
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) != 2 || !opts[0].Default || opts[0].ConversationID != tgConv || opts[0].Address != "4242" || opts[1].Channel != inbox.ChannelEmail {
		t.Fatalf("options = %+v, want Telegram (last used) first and default, then email", opts)
	}
	o, err := PickReply(ctx, st, emailConv, inbox.ChannelEmail)
	if err != nil || o.ConversationID != emailConv || o.Address != "ana@example.com" {
		t.Errorf("pick email = %+v, %v", o, err)
	}
	if _, err := PickReply(ctx, st, emailConv, inbox.ChannelWhatsApp); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("pick WhatsApp: %v, want not found", err)
	}
	// A channel with an identity but no conversation yet is offered as new.
	wa := inbox.Account{Channel: inbox.ChannelWhatsApp, Name: "Shop WhatsApp"}
	st.CreateAccount(ctx, &wa)
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		return st.AddIdentityTx(ctx, tx, &inbox.Identity{ContactID: c.ID, Channel: inbox.ChannelWhatsApp, Address: "+351912345678"})
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err = PickReply(ctx, st, tgConv, inbox.ChannelWhatsApp)
	if err != nil || o.ConversationID != "" || o.AccountID != wa.ID || o.Address != "+351912345678" {
		t.Errorf("pick WhatsApp = %+v, %v; want a new conversation from the WhatsApp account", o, err)
	}
}
