-- Email read offline, quickly (issue 3): headers before bodies, attachments
-- kept once, large attachments left on the server, local flag changes
-- noticed at once.

-- body_state: 0 complete; 1 header only (the list fills first, the body is
-- still to download); 2 complete but for attachments left on the server
-- (message_raw then lacks their bodies). header_hash identifies a message
-- by its defining header fields and size, known before its body.
ALTER TABLE messages ADD COLUMN body_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN header_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX messages_header_hash ON messages(header_hash) WHERE header_hash <> '';
CREATE INDEX messages_body_pending ON messages(account_id) WHERE body_state = 1;

-- Where an attachment sits in its message: the IMAP body section (to fetch
-- it alone later), its Content-Transfer-Encoding, and, when its data is not
-- stored apart (data IS NULL, fetched = 1), the byte span of its encoded
-- body in the original (message_raw).
ALTER TABLE attachments ADD COLUMN part TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN encoding TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN raw_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN raw_end INTEGER NOT NULL DEFAULT 0;

-- A version per account that moves whenever a message's read, flagged or
-- answered state changes, so a sync loop waiting for new mail can push the
-- owner's changes to the server at once.
CREATE TABLE flag_versions (
  account_id  TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER messages_flag_version AFTER UPDATE OF is_read, flagged, answered ON messages
WHEN NEW.account_id IS NOT NULL AND (OLD.is_read <> NEW.is_read OR OLD.flagged <> NEW.flagged OR OLD.answered <> NEW.answered)
BEGIN
  INSERT OR IGNORE INTO flag_versions (account_id, version) VALUES (NEW.account_id, 0);
  UPDATE flag_versions SET version = version + 1 WHERE account_id = NEW.account_id;
END;
