-- Tidings store, version 1. Times are Unix milliseconds (UTC).
PRAGMA application_id = 1414743623;

CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  channel       TEXT NOT NULL,
  name          TEXT NOT NULL UNIQUE,
  address       TEXT NOT NULL DEFAULT '',
  config        TEXT NOT NULL DEFAULT '{}',
  created_at    INTEGER NOT NULL,
  last_sync_at  INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT ''
);

-- One cursor per account and scope (an IMAP folder, a Telegram update offset).
CREATE TABLE sync_cursors (
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  scope       TEXT NOT NULL,
  cursor      TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, scope)
);

CREATE TABLE contacts (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

CREATE TABLE identities (
  id          TEXT PRIMARY KEY,
  contact_id  TEXT NOT NULL REFERENCES contacts(id),
  channel     TEXT NOT NULL,
  address     TEXT NOT NULL,
  display     TEXT NOT NULL DEFAULT '',
  UNIQUE (channel, address)
);
CREATE INDEX identities_contact ON identities(contact_id);

-- A merge of two contacts, kept so it can be undone.
CREATE TABLE contact_merges (
  id           TEXT PRIMARY KEY,
  kept_id      TEXT NOT NULL,
  merged_id    TEXT NOT NULL,
  merged_name  TEXT NOT NULL,
  merged_notes TEXT NOT NULL,
  identity_ids TEXT NOT NULL,      -- JSON array of identity IDs moved
  conversation_ids TEXT NOT NULL,  -- JSON array of conversation IDs moved
  merged_at    INTEGER NOT NULL,
  undone_at    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,
  account_id       TEXT REFERENCES accounts(id),
  contact_id       TEXT REFERENCES contacts(id),
  channel          TEXT NOT NULL,
  subject          TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','pending','snoozed','closed')),
  snoozed_until    INTEGER NOT NULL DEFAULT 0,
  last_message_at  INTEGER NOT NULL DEFAULT 0,
  message_count    INTEGER NOT NULL DEFAULT 0,
  unread_count     INTEGER NOT NULL DEFAULT 0,
  preview          TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL
);
CREATE INDEX conversations_last ON conversations(last_message_at DESC, id DESC);
CREATE INDEX conversations_status_last ON conversations(status, last_message_at DESC, id DESC);
CREATE INDEX conversations_contact ON conversations(contact_id, last_message_at DESC);
CREATE INDEX conversations_snoozed ON conversations(snoozed_until) WHERE status = 'snoozed';

CREATE TABLE messages (
  seq              INTEGER PRIMARY KEY,          -- rowid, shared with the FTS index
  id               TEXT NOT NULL UNIQUE,
  conversation_id  TEXT NOT NULL REFERENCES conversations(id),
  account_id       TEXT REFERENCES accounts(id),
  channel          TEXT NOT NULL,
  direction        TEXT NOT NULL CHECK (direction IN ('in','out')),
  sent_at          INTEGER NOT NULL,
  received_at      INTEGER NOT NULL,
  from_name        TEXT NOT NULL DEFAULT '',
  from_addr        TEXT NOT NULL DEFAULT '',
  to_json          TEXT NOT NULL DEFAULT '[]',
  cc_json          TEXT NOT NULL DEFAULT '[]',
  bcc_json         TEXT NOT NULL DEFAULT '[]',
  subject          TEXT NOT NULL DEFAULT '',
  body_text        TEXT NOT NULL DEFAULT '',
  body_html        TEXT NOT NULL DEFAULT '',
  message_id       TEXT NOT NULL DEFAULT '',
  in_reply_to      TEXT NOT NULL DEFAULT '',
  references_json  TEXT NOT NULL DEFAULT '[]',
  auto             INTEGER NOT NULL DEFAULT 0,
  is_read          INTEGER NOT NULL DEFAULT 0,
  flagged          INTEGER NOT NULL DEFAULT 0,
  answered         INTEGER NOT NULL DEFAULT 0,
  thread_reason    TEXT NOT NULL DEFAULT 'new',
  parse_error      TEXT NOT NULL DEFAULT '',
  content_hash     TEXT NOT NULL DEFAULT '',
  has_attachments  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);
CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id <> '';
CREATE INDEX messages_hash ON messages(content_hash) WHERE content_hash <> '';
CREATE INDEX messages_sent ON messages(sent_at DESC);
CREATE INDEX messages_from ON messages(from_addr);

-- The original bytes exactly as received (zstd or none), kept apart so that
-- scanning messages stays cheap.
CREATE TABLE message_raw (
  seq          INTEGER PRIMARY KEY REFERENCES messages(seq) ON DELETE CASCADE,
  compression  TEXT NOT NULL DEFAULT 'none',
  size         INTEGER NOT NULL,
  data         BLOB NOT NULL
);

-- Where a message lives on a remote server: for email a folder, its
-- UIDVALIDITY and the UID. gone_at is set when the server no longer has it;
-- the local copy stays.
CREATE TABLE message_locations (
  account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  folder       TEXT NOT NULL,
  uidvalidity  INTEGER NOT NULL,
  uid          INTEGER NOT NULL,
  seq          INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
  flags        TEXT NOT NULL DEFAULT '',
  modseq       INTEGER NOT NULL DEFAULT 0,
  gone_at      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, folder, uidvalidity, uid)
);
CREATE INDEX message_locations_seq ON message_locations(seq);

CREATE TABLE attachments (
  id            TEXT PRIMARY KEY,
  seq           INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
  name          TEXT NOT NULL DEFAULT '',
  content_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
  size          INTEGER NOT NULL DEFAULT 0,
  content_id    TEXT NOT NULL DEFAULT '',
  inline        INTEGER NOT NULL DEFAULT 0,
  fetched       INTEGER NOT NULL DEFAULT 1,
  data          BLOB
);
CREATE INDEX attachments_seq ON attachments(seq);

CREATE TABLE labels (
  id     TEXT PRIMARY KEY,
  name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE conversation_labels (
  conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  label_id         TEXT NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  PRIMARY KEY (conversation_id, label_id)
);
CREATE INDEX conversation_labels_label ON conversation_labels(label_id);

CREATE TABLE notes (
  seq              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  conversation_id  TEXT REFERENCES conversations(id) ON DELETE CASCADE,
  contact_id       TEXT REFERENCES contacts(id) ON DELETE CASCADE,
  body             TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX notes_conversation ON notes(conversation_id);
CREATE INDEX notes_contact ON notes(contact_id);

-- Status changes, merges and splits, shown in the conversation's timeline.
CREATE TABLE events (
  id               TEXT PRIMARY KEY,
  conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL,
  detail           TEXT NOT NULL DEFAULT '',
  at               INTEGER NOT NULL
);
CREATE INDEX events_conversation ON events(conversation_id, at);

-- Outgoing messages are written here before any network I/O.
CREATE TABLE outbox (
  id               TEXT PRIMARY KEY,
  account_id       TEXT NOT NULL REFERENCES accounts(id),
  conversation_id  TEXT REFERENCES conversations(id),
  message_id       TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('queued','sending','sent','failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  next_attempt_at  INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER NOT NULL DEFAULT 0,
  raw              BLOB NOT NULL
);
CREATE INDEX outbox_state ON outbox(state, next_attempt_at);

CREATE TABLE saved_searches (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  query       TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);

-- Full-text index over messages (rowid = messages.seq) and notes (rowid =
-- notes.seq). Contentless: the text lives in messages and notes.
CREATE VIRTUAL TABLE message_fts USING fts5(
  subject, body, people, files,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE note_fts USING fts5(
  body,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
