package threader

import (
	"context"
	"database/sql"
	"fmt"
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

// CompleteTx files the whole message whose header was stored at row seq
// (its location is known, so its body is fetched by UID). When the body
// shows it is a message already stored in full (found in another folder
// first), the header-only row is dropped in its favour and its locations
// move there.
func (t *Threader) CompleteTx(ctx context.Context, tx *sql.Tx, seq int64, in Input) (Result, error) {
	m := in.Message
	if m == nil || m.ContentHash == "" || m.BodyPending {
		return Result{}, fmt.Errorf("threader: completing row %d needs a whole parsed message", seq)
	}
	stub, err := t.st.MessageRowTx(ctx, tx, seq)
	if err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	}
	res := Result{MessageID: stub.ID, Seq: seq, ConversationID: stub.ConversationID, Reason: m.ThreadReason}
	if !stub.Pending {
		return res, nil
	}
	accountID := ""
	if in.Account != nil {
		accountID = in.Account.ID
	}
	m.AccountID = accountID
	if other, ok, err := t.st.FindMessageTx(ctx, tx, accountID, MessageIDFor(accountID, m.ContentHash), m.ContentHash, "", false); err != nil {
		return Result{}, fmt.Errorf("threader: %w", err)
	} else if ok && other.Seq != seq && !other.Pending {
		if err := t.st.DropStubTx(ctx, tx, seq, other.Seq); err != nil {
			return Result{}, fmt.Errorf("threader: %w", err)
		}
		return Result{MessageID: other.ID, Seq: other.Seq, ConversationID: other.ConversationID, Reason: m.ThreadReason}, nil
	}
	m.ID, m.ConversationID = stub.ID, stub.ConversationID
	return t.complete(ctx, tx, seq, in, res)
}
