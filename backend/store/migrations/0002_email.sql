-- Email threading: every Message-ID a message names in In-Reply-To or
-- References, so a reply that arrives before its parent (sync runs newest
-- first) and siblings under an unseen root still find one another (JWZ).
CREATE TABLE message_refs (
  ref  TEXT NOT NULL,
  seq  INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
  PRIMARY KEY (ref, seq)
) WITHOUT ROWID;
CREATE INDEX message_refs_seq ON message_refs(seq);

-- What the parser repaired or guessed (unknown charsets, missing
-- boundaries), one warning a line; shown beside the message.
ALTER TABLE messages ADD COLUMN parse_warnings TEXT NOT NULL DEFAULT '';
