-- The sidebar's unread counts per account and per channel
-- (UnreadByAccount) read only this index, as the counts per status do
-- (StatusCounts): with 50,000 of 100,000 conversations unread, 166 ms of
-- row lookups became an index walk. It replaces conversations_status_unread,
-- its prefix, so filing a message updates no more indexes than before.
DROP INDEX conversations_status_unread;
CREATE INDEX conversations_status_unread ON conversations(status, unread_count, account_id, channel);
