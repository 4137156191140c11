-- Search: covering indexes for the two ways a query finds its newest
-- matches. Walking messages newest first reads (sent_at, conversation) and
-- the row number; reading every match of a word looks rows up by number for
-- the same two columns. Neither then touches the wide message rows (bodies
-- are inline), which at a million messages is most of the cost.
CREATE INDEX messages_sent_conv ON messages(sent_at DESC, conversation_id);
CREATE INDEX messages_seq_conv ON messages(seq, sent_at, conversation_id);
