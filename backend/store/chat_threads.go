package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tidings/backend/inbox"
)

// ThreadConversationTx returns the conversation of a chat on an account.
func (s *Store) ThreadConversationTx(ctx context.Context, tx *sql.Tx, accountID, key string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT conversation_id FROM chat_threads WHERE account_id = ? AND thread_key = ?`, accountID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: no conversation for chat %s: %w", key, inbox.ErrNotFound)
	}
	return id, err
}

// SetThreadTx ties a conversation to a chat on an account.
func (s *Store) SetThreadTx(ctx context.Context, tx *sql.Tx, conversationID, accountID, key string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO chat_threads (conversation_id, account_id, thread_key) VALUES (?, ?, ?)`, conversationID, accountID, key)
	if err != nil {
		return fmt.Errorf("store: tie conversation to chat: %w", err)
	}
	return nil
}

// ConversationThread returns the account and chat a conversation belongs to.
func (s *Store) ConversationThread(ctx context.Context, conversationID string) (accountID, key string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT account_id, thread_key FROM chat_threads WHERE conversation_id = ?`, conversationID).Scan(&accountID, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("store: conversation %s is not a chat: %w", conversationID, inbox.ErrNotFound)
	}
	return accountID, key, err
}

// HasMessageTx reports whether a message with this ID is stored.
func (s *Store) HasMessageTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}

// ReopenTx applies the inbound rule to a conversation inside tx: a closed,
// pending or snoozed conversation opens again, and the change is recorded
// in its timeline. It reports whether the status changed.
func (s *Store) ReopenTx(ctx context.Context, tx *sql.Tx, conversationID string) (bool, error) {
	var st string
	err := tx.QueryRowContext(ctx, `SELECT status FROM conversations WHERE id = ?`, conversationID).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: conversation %s: %w", conversationID, inbox.ErrNotFound)
	}
	if err != nil || inbox.Status(st) == inbox.StatusOpen {
		return false, err
	}
	c, err := s.conversation(ctx, tx, conversationID)
	if err != nil {
		return false, err
	}
	old := c.Status
	if !c.ApplyInbound(s.now()) {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET status = ?, snoozed_until = ? WHERE id = ?`,
		string(c.Status), ms(c.SnoozedUntil), conversationID); err != nil {
		return false, fmt.Errorf("store: reopen: %w", err)
	}
	return true, s.AddEventTx(ctx, tx, conversationID, "status", string(old)+" → "+string(c.Status)+" (customer wrote)")
}

// SetMessageRemoteID records the channel's ID of a sent message.
func (s *Store) SetMessageRemoteID(ctx context.Context, id, remoteID string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE messages SET message_id = ? WHERE id = ?`, remoteID, id)
	if err != nil {
		return fmt.Errorf("store: set remote id: %w", err)
	}
	return mustAffect(res, "message", id)
}

// LastInboundAt returns when the customer last wrote in a conversation, or
// the zero time.
func (s *Store) LastInboundAt(ctx context.Context, conversationID string) (int64, error) {
	var at sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(sent_at) FROM messages WHERE conversation_id = ? AND direction = 'in'`, conversationID).Scan(&at)
	return at.Int64, err
}

// HasRemoteMessageTx reports whether a conversation already holds a message
// with this channel ID.
func (s *Store) HasRemoteMessageTx(ctx context.Context, tx *sql.Tx, conversationID, remoteID string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE message_id = ? AND message_id <> '' AND conversation_id = ?`, remoteID, conversationID).Scan(&n)
	return n > 0, err
}
