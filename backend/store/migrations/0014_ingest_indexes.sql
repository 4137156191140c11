-- Faster bulk sync (issue 3): every index on messages is one more b-tree
-- insert for each message filed. Two are prefixes of later covering
-- indexes, which serve every query they served, in the same order:
-- messages_sent (sent_at DESC) of messages_sent_seq_conv (0012), and
-- messages_from (from_addr) of messages_from_sent_seq (0012).
DROP INDEX IF EXISTS messages_sent;
DROP INDEX IF EXISTS messages_from;

-- Every sync batch writes one full-text segment, and FTS5 merges segments
-- as it goes (automerge, default 4: a merge whenever a level holds four).
-- Merging sixteen at a time halves the levels each entry is copied
-- through, which was most of the cost of committing a batch; the window's
-- background upkeep (MergeFTS) still merges down to one segment.
INSERT INTO message_fts(message_fts, rank) VALUES ('automerge', 16);

-- The threader's subject rule walks a customer's conversations by their
-- last message and reads each one's subject (SubjectCandidatesTx), for
-- every message filed: with the subject (and account, channel and ID) in the
-- index the walk never leaves it. It replaces conversations_contact, its
-- prefix, so a new conversation still updates as many indexes.
CREATE INDEX conversations_contact_subject ON conversations(contact_id, last_message_at DESC, account_id, channel, subject, id);
DROP INDEX conversations_contact;
