-- Lookups by Message-ID (the threader's parents, the importer's duplicate
-- check) bind the ID as a parameter or use IN (...). SQLite uses a partial
-- index only when the query implies its WHERE clause, so the partial
-- messages_message_id (WHERE message_id <> '') could not serve them and
-- every lookup scanned the whole table: ingest slowed down as the store
-- grew. A full index serves them all; it replaces the partial one.
DROP INDEX IF EXISTS messages_message_id;
CREATE INDEX messages_message_id ON messages(message_id);
