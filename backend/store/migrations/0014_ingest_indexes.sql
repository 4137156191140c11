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
