-- The sidebar's counts per status (StatusCounts: total and unread) read only
-- this index instead of every conversation row: on 100,000 conversations
-- 240-440 ms became 11-16 ms (scripts/bench-ui.sh, first list painted).
CREATE INDEX conversations_status_unread ON conversations(status, unread_count);
