-- Search: the walk reads messages newest first in the order of its page
-- cursor, (sent_at, seq) descending. The covering indexes of 0005 and 0008
-- ended at conversation_id, so SQLite sorted every run of equal dates again
-- in a temporary b-tree ("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"),
-- which doubled the cost of each row walked. These hold the row number in
-- the walk's order and replace them.
CREATE INDEX messages_sent_seq_conv ON messages(sent_at DESC, seq DESC, conversation_id);
DROP INDEX messages_sent_conv;
CREATE INDEX messages_from_sent_seq ON messages(from_addr, sent_at DESC, seq DESC, conversation_id);
DROP INDEX messages_from_sent;
