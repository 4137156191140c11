package telegram

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram/fakebot"
	"tidings/backend/inbox"
)

func TestSyncStoresEveryKindOfMessage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	photo := e.srv.AddFile("", "image/jpeg", []byte("\xff\xd8\xff jpeg bytes"))
	doc := e.srv.AddFile("price list.pdf", "application/pdf", []byte("%PDF-1.7 prices"))
	voice := e.srv.AddFile("", "audio/ogg", []byte("OggS voice"))
	sticker := e.srv.AddFile("", "image/webp", []byte("RIFF webp"))
	e.srv.Text(customer, "Hello! Do you ship to Porto?")
	e.srv.Send(fakebot.Msg{From: customer, Photo: photo, Caption: "this one"})
	e.srv.Send(fakebot.Msg{From: customer, Document: doc})
	e.srv.Send(fakebot.Msg{From: customer, Voice: voice})
	e.srv.Send(fakebot.Msg{From: customer, Sticker: sticker, Emoji: "👍"})

	res := e.sync(t)
	if res.Stored != 5 {
		t.Fatalf("stored %d, want 5", res.Stored)
	}
	convs := e.convs(t)
	if len(convs) != 1 {
		t.Fatalf("%d conversations, want 1 per chat", len(convs))
	}
	c := convs[0]
	if c.Contact.Name != "Ana Lima" || len(c.Contact.Identities) != 1 || c.Contact.Identities[0].Address != "4242" {
		t.Errorf("contact = %+v, want Ana Lima with Telegram identity 4242", c.Contact)
	}
	ms := e.messages(t, c.ID)
	want := []struct {
		text, file string
		data       []byte
	}{
		{"Hello! Do you ship to Porto?", "", nil},
		{"this one", "photo-2.jpg", photo.Data},
		{"", "price list.pdf", doc.Data},
		{"", "voice-4.ogg", voice.Data},
		{"👍", "sticker-5.webp", sticker.Data},
	}
	for i, w := range want {
		m := ms[i]
		if m.Text != w.text {
			t.Errorf("message %d text = %q, want %q", i, m.Text, w.text)
		}
		if w.file == "" {
			continue
		}
		if len(m.Attachments) != 1 || m.Attachments[0].Name != w.file {
			t.Errorf("message %d attachments = %+v, want %s", i, m.Attachments, w.file)
			continue
		}
		a, err := e.st.Attachment(ctx, m.Attachments[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Data, w.data) {
			t.Errorf("attachment %s = %q, want %q", w.file, a.Data, w.data)
		}
	}
	raw, err := e.st.RawMessage(ctx, ms[0].ID)
	if err != nil || !strings.Contains(string(raw), `"update_id"`) {
		t.Errorf("original update not kept: %q, %v", raw, err)
	}
	cur, _ := e.st.Cursor(ctx, e.acct.ID, ScopeUpdates)
	if cur != "100005" {
		t.Errorf("offset = %q, want 100005 (last update_id + 1)", cur)
	}
	if e.srv.Pending() != 0 {
		t.Errorf("%d updates left unconfirmed after the sync, want 0", e.srv.Pending())
	}
	// A second sync finds nothing new and doubles nothing.
	if res := e.sync(t); res.Stored != 0 {
		t.Errorf("second sync stored %d, want 0", res.Stored)
	}
}

func TestInboundReopensClosedConversation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.Text(customer, "first")
	e.sync(t)
	conv := e.convs(t)[0]
	if err := e.st.SetStatus(ctx, conv.ID, inbox.StatusClosed, conv.CreatedAt); err != nil {
		t.Fatal(err)
	}
	e.srv.Text(customer, "one more question")
	if res := e.sync(t); res.Reopened != 1 {
		t.Errorf("reopened %d, want 1", res.Reopened)
	}
	got, _ := e.st.Conversation(ctx, conv.ID)
	if got.Status != inbox.StatusOpen || got.MessageCount != 2 {
		t.Errorf("conversation is %s with %d messages, want open with 2", got.Status, got.MessageCount)
	}
	other := fakebot.User{ID: 5151, FirstName: "Bruno"}
	e.srv.Text(other, "hi")
	e.sync(t)
	if n := len(e.convs(t)); n != 2 {
		t.Errorf("%d conversations, want 2 (one per customer chat)", n)
	}
}

func TestMalformedUpdatesAreKeptNotLost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.AddRawUpdate("message", `{"message_id":"not a number","chat":{"id":4242,"type":"private"}}`)
	e.srv.AddRawUpdate("message", `{"message_id":9,"date":1,"chat":{"id":-100123,"type":"supergroup","title":"Fans"}}`)
	e.srv.AddRawUpdate("message", `{"date":1}`)
	e.srv.Text(customer, "the good one")
	res := e.sync(t)
	if res.Stored != 1 || res.Rejected != 3 {
		t.Fatalf("stored %d, rejected %d; want 1 and 3", res.Stored, res.Rejected)
	}
	rej, err := e.st.Rejects(ctx, e.acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 3 || !strings.Contains(string(rej[0].Raw), "not a number") || rej[0].Reason == "" {
		t.Errorf("rejects = %+v, want 3 with raw bytes and reasons", rej)
	}
	if !strings.Contains(rej[1].Reason, "supergroup") {
		t.Errorf("group message reason = %q, want it to name the chat type", rej[1].Reason)
	}
	if e.srv.Pending() != 0 {
		t.Errorf("%d updates unconfirmed, want 0", e.srv.Pending())
	}
}

func TestOversizedFileIsListedWithReason(t *testing.T) {
	e := newEnv(t)
	big := e.srv.AddFile("video.mov", "video/quicktime", make([]byte, fakebot.MaxDownloadSize+1))
	e.srv.Send(fakebot.Msg{From: customer, Document: big, Caption: "the unboxing"})
	if res := e.sync(t); res.Stored != 1 {
		t.Fatalf("stored %d, want 1", res.Stored)
	}
	m := e.messages(t, e.convs(t)[0].ID)[0]
	if len(m.Attachments) != 1 || m.Attachments[0].Fetched || m.Attachments[0].Size != int64(len(big.Data)) {
		t.Errorf("attachment = %+v, want listed, unfetched, with its size", m.Attachments)
	}
	if !strings.Contains(m.ParseError, "20 MB") || !strings.Contains(m.ParseError, "video.mov") {
		t.Errorf("reason = %q, want the file and the 20 MB limit", m.ParseError)
	}
}

func TestNetworkDropLosesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.Text(customer, "are you there?")
	e.srv.Drop("getUpdates")
	_, err := SyncOnce(ctx, e.st, e.acct, e.secrets, nil)
	if !channels.IsTemporary(err) {
		t.Fatalf("sync over a dropped connection: %v, want a temporary error", err)
	}
	if cur, _ := e.st.Cursor(ctx, e.acct.ID, ScopeUpdates); cur != "" {
		t.Errorf("offset advanced to %q although nothing was stored", cur)
	}
	acct, _ := e.st.Account(ctx, e.acct.ID)
	if acct.LastError == "" {
		t.Error("the failed sync left no error on the account")
	}
	// A download that drops mid-batch also stores nothing of the batch.
	doc := e.srv.AddFile("a.txt", "text/plain", []byte("abc"))
	e.srv.Send(fakebot.Msg{From: customer, Document: doc})
	e.srv.Drop("getFile")
	if _, err := SyncOnce(ctx, e.st, e.acct, e.secrets, nil); !channels.IsTemporary(err) {
		t.Fatalf("sync with a dropped download: %v, want temporary", err)
	}
	if n := len(e.convs(t)); n != 0 {
		t.Fatalf("%d conversations stored from a failed batch, want 0", n)
	}
	res := e.sync(t)
	if res.Stored != 2 {
		t.Errorf("after recovery stored %d, want 2", res.Stored)
	}
	acct, _ = e.st.Account(ctx, e.acct.ID)
	if acct.LastError != "" {
		t.Errorf("last error %q stayed after a good sync", acct.LastError)
	}
}

func TestLongPollWakesOnNewMessage(t *testing.T) {
	e := newEnv(t)
	c := New(Options{Token: testToken, AccountID: e.acct.ID, BaseURL: e.srv.URL, PollTimeout: 30e9})
	e.srv.MaxWait = 60e9
	done := make(chan channels.Batch, 1)
	errc := make(chan error, 1)
	go func() {
		b, err := c.Receive(context.Background(), map[string]string{})
		errc <- err
		done <- b
	}()
	waitPolling(t, e.srv)
	e.srv.Text(customer, "ping")
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	b := <-done
	if len(b.Messages) != 1 || b.Messages[0].Message.Text != "ping" {
		t.Errorf("long poll returned %+v, want the message sent while it waited", b.Messages)
	}
}

func waitPolling(t *testing.T, srv *fakebot.Server) {
	t.Helper()
	for !srv.Polling() {
		select {
		case <-t.Context().Done():
			t.Fatal("poller never started")
		default:
		}
		runtimeGosched()
	}
}

func TestBigFileWithoutSizeIsListedWithReason(t *testing.T) {
	e := newEnv(t)
	big := e.srv.AddFile("scan.tiff", "image/tiff", make([]byte, fakebot.MaxDownloadSize+1))
	// No file_size in the update: only getFile can tell.
	e.srv.AddRawUpdate("message", `{"message_id":1,"date":1700000000,"from":{"id":4242,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":4242,"type":"private","first_name":"Ana"},"document":{"file_id":"`+big.ID+`","file_unique_id":"u","file_name":"scan.tiff"}}`)
	if res := e.sync(t); res.Stored != 1 {
		t.Fatalf("stored %d, want 1", res.Stored)
	}
	m := e.messages(t, e.convs(t)[0].ID)[0]
	if len(m.Attachments) != 1 || m.Attachments[0].Fetched || !strings.Contains(m.ParseError, "file is too big") {
		t.Errorf("attachment %+v, reason %q; want unfetched with Telegram's reason", m.Attachments, m.ParseError)
	}
}

func TestEditedMessageReplacesTextAndIsSearchable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.srv.Text(customer, "I want 2 teapots")
	e.sync(t)
	e.srv.Edit(fakebot.Msg{From: customer, Text: "I want 3 teapots"}, id)
	// An edit of a message Tidings never saw is kept as a message.
	e.srv.Edit(fakebot.Msg{From: customer, Text: "old message, edited"}, 77)
	res := e.sync(t)
	if res.Edited != 1 || res.Stored != 1 {
		t.Fatalf("edited %d, stored %d; want 1 and 1", res.Edited, res.Stored)
	}
	conv := e.convs(t)[0]
	ms := e.messages(t, conv.ID)
	texts := map[string]string{}
	for _, m := range ms {
		texts[m.MessageID] = m.Text
	}
	if len(ms) != 2 || texts["chat:4242/1"] != "I want 3 teapots" || texts["chat:4242/77"] != "old message, edited" {
		t.Fatalf("messages = %+v, want the edited text in place", ms)
	}
	evs, _ := e.st.Events(ctx, conv.ID)
	if len(evs) != 1 || evs[0].Kind != "edited" || !strings.Contains(evs[0].Detail, "I want 2 teapots") {
		t.Errorf("events = %+v, want the edit with the old text", evs)
	}
	var n int
	e.st.DB().QueryRow(`SELECT count(*) FROM message_fts WHERE message_fts MATCH '3'`).Scan(&n)
	var old int
	e.st.DB().QueryRow(`SELECT count(*) FROM message_fts WHERE message_fts MATCH '2'`).Scan(&old)
	if n != 1 || old != 0 {
		t.Errorf("search finds the new text %d times and the old %d times, want 1 and 0", n, old)
	}
}

func TestExpiredFileIsListedWithReason(t *testing.T) {
	e := newEnv(t)
	f := e.srv.AddFile("old.pdf", "application/pdf", []byte("%PDF"))
	e.srv.Expire(f)
	e.srv.Send(fakebot.Msg{From: customer, Document: f, Caption: "from last year"})
	if res := e.sync(t); res.Stored != 1 {
		t.Fatalf("stored %d, want 1", res.Stored)
	}
	m := e.messages(t, e.convs(t)[0].ID)[0]
	if len(m.Attachments) != 1 || m.Attachments[0].Fetched || !strings.Contains(m.ParseError, "old.pdf could not be downloaded") || !strings.Contains(m.ParseError, "404") {
		t.Errorf("attachment %+v, reason %q; want unfetched with the 404", m.Attachments, m.ParseError)
	}
	acct, _ := e.st.Account(context.Background(), e.acct.ID)
	if acct.LastError != "" {
		t.Errorf("a missing file broke the account: %q", acct.LastError)
	}
}
