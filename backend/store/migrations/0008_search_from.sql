-- Search: from: with a whole address walks one sender's messages newest
-- first, reading only this index (sender, date, conversation, row).
CREATE INDEX messages_from_sent ON messages(from_addr, sent_at DESC, conversation_id);
