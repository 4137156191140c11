package emailconn

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// refusing is go-imap's in-memory server, without IDLE, refusing (tagged
// NO) any body FETCH that names one UID, as Office 365 does for a message
// it cannot render.
type refusing struct {
	*imapmemserver.UserSession
	bad imap.UID
}

func (s *refusing) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, o *imap.FetchOptions) error {
	if set, ok := numSet.(imap.UIDSet); ok && set.Contains(s.bad) && len(o.BodySection) > 0 {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Message cannot be read"}
	}
	return s.UserSession.Fetch(w, numSet, o)
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// memConnector serves n messages from an in-memory IMAP server that
// refuses UID bad and has no IDLE.
func memConnector(t *testing.T, n int, bad imap.UID) *Connector {
	t.Helper()
	user := imapmemserver.NewUser(owner, password)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		raw := fmt.Sprintf("From: Ana <ana@example.com>\r\nTo: %s\r\nSubject: Note %d\r\nMessage-ID: <n%d@example.com>\r\n\r\nBody %d\r\n", owner, i, i, i)
		if _, err := user.Append("INBOX", literal{bytes.NewReader([]byte(raw))}, &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &refusing{UserSession: imapmemserver.NewUserSession(user), bad: bad}, nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	cfg := email.Config{Address: owner, IMAPHost: "127.0.0.1", IMAPPort: l.Addr().(*net.TCPAddr).Port, IMAPSecurity: email.None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: email.None}
	acct := inbox.Account{ID: "acc_mem", Channel: inbox.ChannelEmail, Name: "Shop", Address: owner, Config: cfg.JSON()}
	c := New(Options{Account: acct, Config: cfg, Auth: email.Auth{Password: password}})
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRefusedMessageIsKeptAsReject: a message the server will not serve
// comes back as a reject with the server's reason and its folder, UID
// and UIDVALIDITY; the others arrive and the cursor covers all five.
func TestRefusedMessageIsKeptAsReject(t *testing.T) {
	c := memConnector(t, 5, 3)
	b, err := c.Receive(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, in := range b.Messages {
		subjects = append(subjects, in.Message.Subject)
	}
	if strings.Join(subjects, ",") != "Note 1,Note 2,Note 4,Note 5" {
		t.Errorf("received %v, want every note but the refused third", subjects)
	}
	if len(b.Rejects) != 1 || !strings.HasPrefix(b.Rejects[0].Key, "INBOX/") || !strings.HasSuffix(b.Rejects[0].Key, "/3") ||
		!strings.Contains(b.Rejects[0].Reason, "Message cannot be read") {
		t.Errorf("rejects %+v, want UID 3 with the server's reason", b.Rejects)
	}
	if cur := ParseCursor(b.Cursors[Scope("INBOX")]); cur.UID != 5 || cur.UIDValidity == 0 {
		t.Errorf("cursor %+v, want it past UID 5", cur)
	}
}

// TestWithoutIdleReceiveWaitsLikeAPoll: on a server without IDLE, a Receive
// with nothing new pauses (until ctx ends here) instead of returning at
// once, so the Runner's loop never hammers the server.
func TestWithoutIdleReceiveWaitsLikeAPoll(t *testing.T) {
	c := memConnector(t, 1, 0)
	c.opt.Wait = time.Hour
	cursors := map[string]string{}
	b, err := c.Receive(context.Background(), cursors)
	if err != nil || len(b.Messages) != 1 {
		t.Fatalf("first receive: %d messages, %v", len(b.Messages), err)
	}
	for k, v := range b.Cursors {
		cursors[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		b, err := c.Receive(ctx, cursors)
		if err == nil && !b.Empty() {
			err = fmt.Errorf("got a batch %+v, want none", b)
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Receive returned at once (%v) on a server without IDLE, want it to wait", err)
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("after cancel: %v, want an empty batch", err)
	}
}
