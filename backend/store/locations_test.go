package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"tidings/backend/inbox"
)

// Two syncs (two processes) that fetched the same new UID both record its
// location: the second finds it recorded for the same message and that is
// no error; the location stays one and live. The UID recorded for another
// message is a conflict, never a silent re-point.
func TestAddLocationTwice(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	acc := inbox.Account{Channel: inbox.ChannelEmail, Name: "Shop", Address: "shop@example.com"}
	if err := s.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	_, msgs := seedConversation(t, s, "a@example.com", 2, fixedNow())
	seqOf := func(id string) int64 {
		var seq int64
		if err := s.DB().QueryRow(`SELECT seq FROM messages WHERE id = ?`, id).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		return seq
	}
	l := Location{AccountID: acc.ID, Folder: "Sent", UIDValidity: 7, UID: 42, Seq: seqOf(msgs[0].ID), Flags: []string{`\Seen`}}
	add := func(l Location) error {
		return s.Tx(ctx, func(tx *sql.Tx) error { return s.AddLocationTx(ctx, tx, l) })
	}
	if err := add(l); err != nil {
		t.Fatal(err)
	}
	if err := s.Tx(ctx, func(tx *sql.Tx) error { return s.MarkGoneTx(ctx, tx, acc.ID, "Sent", 7, []uint32{42}) }); err != nil {
		t.Fatal(err)
	}
	l.Flags = []string{`\Seen`, `\Answered`}
	if err := add(l); err != nil {
		t.Fatalf("the same location again: %v, want no error", err)
	}
	var n, gone int
	var flags string
	s.DB().QueryRow(`SELECT count(*), max(gone_at), max(flags) FROM message_locations WHERE uid = 42`).Scan(&n, &gone, &flags)
	if n != 1 || gone != 0 || flags != `\Seen \Answered` {
		t.Errorf("after recording twice: %d rows, gone_at %d, flags %q; want one live row with the newer flags", n, gone, flags)
	}
	other := l
	other.Seq = seqOf(msgs[1].ID)
	if err := add(other); !errors.Is(err, inbox.ErrConflict) {
		t.Errorf("the UID for another message: got %v, want ErrConflict", err)
	}
	var seq int64
	s.DB().QueryRow(`SELECT seq FROM message_locations WHERE uid = 42`).Scan(&seq)
	if seq != l.Seq {
		t.Errorf("location re-pointed to %d, want it left at %d", seq, l.Seq)
	}
}
