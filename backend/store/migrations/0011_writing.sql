-- Writing (issue 4): per-account signatures, canned replies with fields,
-- and files attached to unsent drafts (kept here, like the draft's text, so
-- they survive a crash until the message is sent or discarded).
CREATE TABLE signatures (
  account_id  TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  body        TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE canned_replies (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE draft_attachments (
  id            TEXT PRIMARY KEY,
  draft_key     TEXT NOT NULL,
  name          TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  size          INTEGER NOT NULL,
  data          BLOB NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX draft_attachments_key ON draft_attachments(draft_key, created_at);
