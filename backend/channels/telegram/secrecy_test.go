package telegram

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram/fakebot"
)

func TestTokenNeverInLogsOrErrors(t *testing.T) {
	e := newEnv(t)
	var debug bytes.Buffer
	c := New(Options{Token: testToken, AccountID: e.acct.ID, BaseURL: e.srv.URL, Debug: &debug})
	doc := e.srv.AddFile("a.txt", "text/plain", []byte("x"))
	e.srv.Send(fakebot.Msg{From: customer, Document: doc})
	b, err := c.Receive(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), channels.Outbound{Thread: b.Messages[0].Thread, Text: "ok"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(debug.String(), "getUpdates: HTTP 200") || strings.Contains(debug.String(), testToken) {
		t.Errorf("debug log = %q: want one line per request and never the token", debug.String())
	}
	// A refused connection: the URL (with the token) must not leak.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	_, err = New(Options{Token: testToken, BaseURL: "http://" + addr}).Receive(context.Background(), nil)
	if err == nil || !channels.IsTemporary(err) || strings.Contains(channels.Describe(err), testToken) {
		t.Errorf("refused connection: %v; want a temporary error without the token", err)
	}
}
