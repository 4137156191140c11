-- A merge of two conversations, kept so it can be undone exactly: the
-- snapshot (JSON) holds both conversations' rows as they were, and which
-- messages, notes, events, labels, outbox items and chat thread the merged
-- conversation had.
CREATE TABLE conversation_merges (
  id          TEXT PRIMARY KEY,
  into_id     TEXT NOT NULL,
  from_id     TEXT NOT NULL,
  snapshot    TEXT NOT NULL,
  merged_at   INTEGER NOT NULL,
  undone_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversation_merges_into ON conversation_merges(into_id);
