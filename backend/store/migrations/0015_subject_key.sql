-- The threader's subject rule (issue 3: "a bounded subject rule only within
-- the same customer") looked for a customer's conversation with the same
-- subject by walking all of that customer's recent conversations and
-- comparing each subject in Go: for a heavy customer, hundreds of rows per
-- message filed. Each conversation now keeps its subject's key
-- (inbox.SubjectKey: markers and tags dropped, case and spacing folded), and
-- the rule is one seek on (contact, key).
--
-- tidings_subject_key is inbox.SubjectKey, registered with the SQLite driver
-- by the store (subject_key.go); it is used here only, never in the schema,
-- so any SQLite tool can still read and write the file.
ALTER TABLE conversations ADD COLUMN subject_key TEXT NOT NULL DEFAULT '';
UPDATE conversations SET subject_key = tidings_subject_key(subject) WHERE subject <> '';

-- The key index replaces 0014's walk of the customer's conversations by their
-- last message. Its columns never change as messages arrive, unlike
-- last_message_at, so filing a message into a conversation updates one index
-- fewer. Listing a customer's conversations (conversations WHERE contact_id)
-- still seeks by its first column.
CREATE INDEX conversations_contact_key ON conversations(contact_id, subject_key);
DROP INDEX conversations_contact_subject;
