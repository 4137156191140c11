-- Search: the full-text index follows every change to messages and notes in
-- the same transaction, whoever makes it (a removed message leaves the index,
-- an edited one is indexed again), and the flags that is: and has: filter on
-- get small partial indexes ordered like the newest-first walk.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  DELETE FROM message_fts WHERE rowid = old.seq;
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, body_text, from_name, from_addr, to_json, cc_json, bcc_json ON messages BEGIN
  DELETE FROM message_fts WHERE rowid = old.seq;
  INSERT INTO message_fts (rowid, subject, body, people, files) VALUES (
    new.seq, new.subject, new.body_text,
    new.from_name || ' ' || new.from_addr || ' ' || (
      SELECT coalesce(group_concat(coalesce(json_extract(a.value, '$.name'), '') || ' ' || coalesce(json_extract(a.value, '$.address'), ''), ' '), '')
      FROM (SELECT value FROM json_each(new.to_json) UNION ALL SELECT value FROM json_each(new.cc_json)
            UNION ALL SELECT value FROM json_each(new.bcc_json)) a),
    (SELECT coalesce(group_concat(name, ' '), '') FROM attachments WHERE seq = new.seq));
END;

CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
  DELETE FROM note_fts WHERE rowid = old.seq;
END;

CREATE TRIGGER notes_fts_update AFTER UPDATE OF body ON notes BEGIN
  DELETE FROM note_fts WHERE rowid = old.seq;
  INSERT INTO note_fts (rowid, body) VALUES (new.seq, new.body);
END;

CREATE INDEX messages_unread ON messages(sent_at DESC) WHERE is_read = 0 AND direction = 'in';
CREATE INDEX messages_attached ON messages(sent_at DESC) WHERE has_attachments = 1;
CREATE INDEX messages_auto ON messages(sent_at DESC) WHERE auto = 1;
