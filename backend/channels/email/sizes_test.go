package email

import (
	"context"
	"strings"
	"testing"

	"tidings/backend/channels/email/dovetest"
)

// TestSizesAgainstDovecot: Sizes gives each message's RFC822.SIZE, the
// same as Metas and the length of what Fetch downloads, and leaves out
// UIDs the folder does not have.
func TestSizesAgainstDovecot(t *testing.T) {
	srv := dovetest.Start(t, map[string]string{testUser: testPass})
	for i := 1; i <= 4; i++ {
		raw := sample(i)
		raw = append(raw, strings.Repeat("more text\r\n", i*50)...)
		if err := srv.Save(testUser, "INBOX", raw); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	s, err := Connect(ctx, dovecotConfig(t, srv), Auth{Password: testPass}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Select(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	sizes, err := s.Sizes(ctx, []uint32{4, 2, 1, 3, 99})
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 4 {
		t.Errorf("sizes: got %v, want UIDs 1-4 and not 99", sizes)
	}
	err = s.Fetch(ctx, [][]uint32{{1, 2, 3, 4}}, func(got []Fetched) error {
		for _, g := range got {
			if sizes[g.UID] != int64(len(g.Raw)) || sizes[g.UID] != g.Size {
				t.Errorf("UID %d: Sizes says %d, the message has %d bytes (RFC822.SIZE %d)", g.UID, sizes[g.UID], len(g.Raw), g.Size)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if none, err := s.Sizes(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("no UIDs: got %v, %v, want nothing", none, err)
	}
}
