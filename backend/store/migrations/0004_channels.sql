-- Messaging channels: one conversation per chat, delivery of sent chat
-- messages, received items that could not be read, and merge suggestions.

-- The chat a conversation belongs to, on its account (a Telegram chat, a
-- Telegram Business chat). The key is the connector's opaque reply route.
CREATE TABLE chat_threads (
  conversation_id  TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  account_id       TEXT NOT NULL,
  thread_key       TEXT NOT NULL,
  UNIQUE (account_id, thread_key)
);

-- Where an outgoing chat message stands; the message itself is in messages,
-- written before any network I/O.
CREATE TABLE deliveries (
  message_id  TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  account_id  TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('sending','sent','failed')),
  remote_id   TEXT NOT NULL DEFAULT '',
  error       TEXT NOT NULL DEFAULT '',
  attempts    INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL
);

-- Received items that could not be turned into messages, kept with their
-- raw bytes so the sync cursor can pass them without losing anything.
CREATE TABLE ingest_rejects (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  remote_key  TEXT NOT NULL,
  reason      TEXT NOT NULL,
  raw         BLOB NOT NULL,
  at          INTEGER NOT NULL,
  UNIQUE (account_id, remote_key)
);

-- Identities a customer showed without the channel proving them (an email
-- address written in a chat, a shared phone number).
CREATE TABLE identity_claims (
  contact_id  TEXT NOT NULL,
  channel     TEXT NOT NULL,
  address     TEXT NOT NULL,
  message_id  TEXT NOT NULL DEFAULT '',
  at          INTEGER NOT NULL,
  PRIMARY KEY (contact_id, channel, address)
);
CREATE INDEX identity_claims_address ON identity_claims(channel, address);

-- Two contacts that may be one customer. Never merged without the owner.
CREATE TABLE merge_suggestions (
  id            TEXT PRIMARY KEY,
  contact_a     TEXT NOT NULL,
  contact_b     TEXT NOT NULL,
  reason        TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  dismissed_at  INTEGER NOT NULL DEFAULT 0,
  merge_id      TEXT NOT NULL DEFAULT '',
  UNIQUE (contact_a, contact_b, reason)
);
