package email

import (
	"bytes"
	"context"
	"net"
	"sort"
	"strconv"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// refusingSession is go-imap's in-memory server refusing (tagged NO) any
// body FETCH that includes one UID, as Office 365 does for messages it
// cannot render.
type refusingSession struct {
	*imapmemserver.UserSession
	bad imap.UID
}

func (s *refusingSession) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, options *imap.FetchOptions) error {
	if set, ok := numSet.(imap.UIDSet); ok && set.Contains(s.bad) && len(options.BodySection) > 0 {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Message cannot be read"}
	}
	return s.UserSession.Fetch(w, numSet, options)
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// TestFetchRefusedBatchFallsBackToSingles: a batch the server refuses is
// fetched message by message; only the refused one comes back without a
// body, with the server's reason, and the connection stays usable.
func TestFetchRefusedBatchFallsBackToSingles(t *testing.T) {
	user := imapmemserver.NewUser(testUser, testPass)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := user.Append("INBOX", literal{bytes.NewReader(sample(i))}, &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &refusingSession{UserSession: imapmemserver.NewUserSession(user), bad: 3}, nil, nil
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
	port := l.Addr().(*net.TCPAddr).Port
	ctx := context.Background()
	s, err := Connect(ctx, Config{Address: testUser, IMAPHost: "127.0.0.1", IMAPPort: port, IMAPSecurity: None}, Auth{Password: testPass}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Select(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	var got []Fetched
	if err := s.Fetch(ctx, [][]uint32{{1, 2, 3, 4, 5}}, func(b []Fetched) error { got = append(got, b...); return nil }); err != nil {
		t.Fatalf("fetch with a refused message: %v", err)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].UID < got[j].UID })
	if len(got) != 5 {
		t.Fatalf("got %d results, want 5", len(got))
	}
	for _, g := range got {
		switch {
		case g.UID == 3 && (g.Raw != nil || g.Err != "Message cannot be read"):
			t.Errorf("uid 3: raw %d bytes, err %q, want no body and the server's reason", len(g.Raw), g.Err)
		case g.UID != 3 && (g.Raw == nil || !bytes.Contains(g.Raw, []byte("Body "+strconv.Itoa(int(g.UID))))):
			t.Errorf("uid %d: body %q", g.UID, g.Raw)
		}
	}
	if _, err := s.UIDs(ctx); err != nil {
		t.Errorf("connection unusable after the refusal: %v", err)
	}
}
