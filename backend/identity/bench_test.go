package identity

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// BenchmarkRefresh measures one merge-suggestion scan over 10,000 contacts
// with 20,000 identities (email and WhatsApp), 100 of them sharing a phone
// with an SMS contact.
func BenchmarkRefresh(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "t.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 10000 {
			c := inbox.Contact{Name: fmt.Sprint("c", i), Identities: []inbox.Identity{
				{Channel: inbox.ChannelEmail, Address: fmt.Sprintf("c%d@example.com", i)},
				{Channel: inbox.ChannelWhatsApp, Address: fmt.Sprintf("+3519%08d", i)},
			}}
			if i%100 == 0 {
				c.Identities[1].Channel = inbox.ChannelSMS
				c.Identities[1].Address = fmt.Sprintf("+3519%08d", i+1)
			}
			if err := st.CreateContactTx(ctx, tx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := Refresh(ctx, st)
		if err != nil || (i == 0 && n != 100) {
			b.Fatalf("refresh: %d new, %v; want 100", n, err)
		}
	}
}
