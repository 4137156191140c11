package syncer

import (
	"context"
	"database/sql"
	"slices"

	"tidings/backend/channels/email"
	"tidings/backend/store"
)

// tracked are the flags kept in step both ways.
var tracked = []string{email.FlagSeen, email.FlagFlagged, email.FlagAnswered}

// local returns the message's state for a tracked flag.
func local(l store.LocationState, flag string) bool {
	switch flag {
	case email.FlagSeen:
		return l.Read
	case email.FlagFlagged:
		return l.Flagged
	}
	return l.Answered
}

// mergeFlagsTx applies server flag changes: for each tracked flag, when the
// server's value differs from the one stored at the last sync, the server
// changed it and wins; otherwise a local change (if any) stays, to be sent
// by pushFlags. The stored base becomes the server's flags.
func (s *Syncer) mergeFlagsTx(ctx context.Context, tx *sql.Tx, accountID, folder string, uidValidity uint32, live map[uint32]store.LocationState, metas []email.Meta) (int, error) {
	changed := 0
	for _, m := range metas {
		l, ok := live[m.UID]
		if !ok {
			continue
		}
		state := [3]bool{l.Read, l.Flagged, l.Answered}
		next := state
		for i, f := range tracked {
			srv, base := email.HasFlag(m.Flags, f), email.HasFlag(l.Flags, f)
			if srv != base {
				next[i] = srv
			}
		}
		if next != state {
			if err := s.st.SetMessageFlagsTx(ctx, tx, l.Seq, next[0], next[1], next[2]); err != nil {
				return changed, err
			}
			changed++
		}
		if !slices.Equal(m.Flags, l.Flags) {
			if err := s.st.PutLocationTx(ctx, tx, store.Location{AccountID: accountID, Folder: folder, UIDValidity: uidValidity,
				UID: m.UID, Seq: l.Seq, Flags: m.Flags, ModSeq: m.ModSeq}); err != nil {
				return changed, err
			}
		}
	}
	return changed, nil
}

// pushFlags sends local flag changes (read, flagged, answered in Tidings)
// to the server and records the new base.
func (s *Syncer) pushFlags(ctx context.Context, sess *email.Session, accountID, folder string, uidValidity uint32, live map[uint32]store.LocationState) (int, error) {
	type op struct {
		flag string
		add  bool
	}
	groups := map[op][]uint32{}
	newFlags := map[uint32][]string{}
	for uid, l := range live {
		flags := slices.Clone(l.Flags)
		for _, f := range tracked {
			want, base := local(l, f), email.HasFlag(l.Flags, f)
			if want == base || (f == email.FlagSeen && l.Out) {
				continue // our own messages are "read" by definition, not by the user
			}
			groups[op{f, want}] = append(groups[op{f, want}], uid)
			if want {
				flags = append(flags, f)
			} else {
				flags = slices.DeleteFunc(flags, func(x string) bool { return x == f })
			}
		}
		if !slices.Equal(flags, l.Flags) {
			newFlags[uid] = flags
		}
	}
	if len(newFlags) == 0 {
		return 0, nil
	}
	for o, uids := range groups {
		slices.Sort(uids)
		var add, del []string
		if o.add {
			add = []string{o.flag}
		} else {
			del = []string{o.flag}
		}
		if err := sess.SetFlags(ctx, uids, add, del); err != nil {
			return 0, err
		}
	}
	err := s.st.Tx(ctx, func(tx *sql.Tx) error {
		for uid, flags := range newFlags {
			if err := s.st.PutLocationTx(ctx, tx, store.Location{AccountID: accountID, Folder: folder, UIDValidity: uidValidity,
				UID: uid, Seq: live[uid].Seq, Flags: flags}); err != nil {
				return err
			}
		}
		return nil
	})
	return len(newFlags), err
}
