package threader

import (
	"context"
	"database/sql"
	"fmt"

	"tidings/backend/inbox"
	"tidings/backend/store"
)

// complete stores the body of the message listed from its header at row
// seq: its thread, contact and status were decided from the header and
// stay; only the body, original, attachments and index entry arrive.
func (t *Threader) complete(ctx context.Context, tx *sql.Tx, seq int64, in Input, res Result) (Result, error) {
	if in.Message.Date.IsZero() {
		in.Message.Date = in.Message.ReceivedAt
	}
	done, err := t.st.CompleteBodyTx(ctx, tx, seq, in.Message)
	if err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	}
	if !done {
		return res, nil // completed meanwhile (the same message in another folder)
	}
	if err := t.st.SetMessageWarningsTx(ctx, tx, seq, in.Warnings); err != nil {
		return Result{}, err
	}
	res.Completed = true
	return res, nil
}

// CompleteTx files the whole message fetched at a location recorded for
// row seq, a message listed from its header (its body is fetched by UID).
// When the body shows it is a message already stored in full (found in
// another folder first), the location belongs there, and the header-only
// row is dropped in its favour once no other location needs it. When the
// row has its body already and this one differs, it is another message
// that shares its header and size: it is filed on its own. The caller
// points the location at Result.Seq when that is not seq.
func (t *Threader) CompleteTx(ctx context.Context, tx *sql.Tx, seq int64, in Input) (Result, error) {
	m := in.Message
	if m == nil || m.ContentHash == "" || m.BodyPending {
		return Result{}, fmt.Errorf("threader: completing row %d needs a whole parsed message", seq)
	}
	stub, err := t.st.MessageRowTx(ctx, tx, seq)
	if err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	}
	return t.fill(ctx, tx, stub, in, true)
}

// fill files a whole message whose header matched the row stub: located is
// set when one of the row's locations is where the body came from.
func (t *Threader) fill(ctx context.Context, tx *sql.Tx, stub store.Found, in Input, located bool) (Result, error) {
	m := in.Message
	res := Result{MessageID: stub.ID, Seq: stub.Seq, ConversationID: stub.ConversationID, Reason: m.ThreadReason}
	hash, filled, err := t.st.BodyHashTx(ctx, tx, stub.Seq)
	if err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	}
	if filled {
		if hash == m.ContentHash {
			return res, nil // the same message again
		}
		// A twin: found by its content alone, or stored as a message of
		// its own.
		m.HeaderHash = ""
		return t.IngestTx(ctx, tx, in)
	}
	accountID := ""
	if in.Account != nil {
		accountID = in.Account.ID
	}
	m.AccountID = accountID
	if other, ok, err := t.st.FindMessageTx(ctx, tx, accountID, MessageIDFor(accountID, m.ContentHash), m.ContentHash, "", false); err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	} else if ok && other.Seq != stub.Seq && !other.Pending {
		// The header-only row goes (its gone locations with it) unless
		// another live location still waits for its own body.
		n, err := t.st.LiveLocationCountTx(ctx, tx, stub.Seq)
		if err != nil {
			return Result{}, fmt.Errorf("threader: %w", err)
		}
		if located && n <= 1 || !located && n == 0 {
			if err := t.st.DropStubTx(ctx, tx, stub.Seq, other.Seq); err != nil {
				return Result{}, fmt.Errorf("threader: %w", err)
			}
		}
		return Result{MessageID: other.ID, Seq: other.Seq, ConversationID: other.ConversationID, Reason: m.ThreadReason}, nil
	}
	m.ID, m.ConversationID = stub.ID, stub.ConversationID
	return t.complete(ctx, tx, stub.Seq, in, res)
}

// partialTwin reports whether a whole or partial message m, found by its
// header hash to be the stored message f (stored without the attachments
// left on the server), is another message with the same header and size.
// The same message fetched partly again has the same content hash; fetched
// whole, the same text. Anything else is a twin.
func (t *Threader) partialTwin(ctx context.Context, tx *sql.Tx, f store.Found, m *inbox.Message) (bool, error) {
	same, stored, text, err := t.st.PartialBodyTx(ctx, tx, f.Seq, m.ContentHash)
	if err != nil {
		return false, fmt.Errorf("threader: %w", err)
	}
	if same || !stored {
		return false, nil
	}
	partial := false
	for _, a := range m.Attachments {
		if !a.Fetched && a.Data == nil {
			partial = true
		}
	}
	return partial || text != m.Text, nil
}
