-- A small shop's inbox as Tidings wrote it at schema version 1
-- (0001_init.sql, which never changes): the fixture for "a backup made by
-- an older version restores and is brought up to date". Used by
-- restore_old_test.go and, through cmd/oldstore, by the browser test
-- frontend/e2e/archive-more.test.mjs. One original is raw DEFLATE, as the
-- first versions stored them; the others are kept as they are ('none').
INSERT INTO accounts (id, channel, name, address, config, created_at) VALUES
  ('ac_oldmail', 'email', 'Old shop mail', 'shop@old.example', '{"demo":true,"address":"shop@old.example"}', 1772000000000);

INSERT INTO contacts (id, name, notes, created_at) VALUES
  ('ct_rita', 'Rita Olsen', 'Rides a 2019 Trek FX.', 1772000000000),
  ('ct_omar', 'Omar Haddad', '', 1772000000000);
INSERT INTO identities (id, contact_id, channel, address, display) VALUES
  ('id_rita', 'ct_rita', 'email', 'rita@old.example', 'Rita Olsen'),
  ('id_omar', 'ct_omar', 'email', 'omar@old.example', 'Omar Haddad');

INSERT INTO conversations (id, account_id, contact_id, channel, subject, status, last_message_at, message_count, unread_count, preview, created_at) VALUES
  ('cv_pedal', 'ac_oldmail', 'ct_rita', 'email', 'Pedal wobble', 'open', 1772530800000, 2, 0, 'Thanks, a new pedal is on its way.', 1772529120000),
  ('cv_voucher', 'ac_oldmail', 'ct_omar', 'email', 'Gift voucher', 'closed', 1772617200000, 1, 1, 'Do you sell gift vouchers?', 1772617200000);

INSERT INTO messages (seq, id, conversation_id, account_id, channel, direction, sent_at, received_at, from_name, from_addr, to_json, subject, body_text, message_id, is_read, thread_reason, has_attachments) VALUES
  (1, 'ms_pedal1', 'cv_pedal', 'ac_oldmail', 'email', 'in', 1772529120000, 1772529125000, 'Rita Olsen', 'rita@old.example', '[{"address":"shop@old.example"}]', 'Pedal wobble', 'The left pedal wobbles since Saturday.', '<p1@old.example>', 1, 'new', 1),
  (2, 'ms_pedal2', 'cv_pedal', 'ac_oldmail', 'email', 'out', 1772530800000, 1772530800000, 'Old shop', 'shop@old.example', '[{"name":"Rita Olsen","address":"rita@old.example"}]', 'Re: Pedal wobble', 'Thanks, a new pedal is on its way.', '<r1@old.example>', 1, 'reply', 0),
  (3, 'ms_voucher', 'cv_voucher', 'ac_oldmail', 'email', 'in', 1772617200000, 1772617205000, 'Omar Haddad', 'omar@old.example', '[{"address":"shop@old.example"}]', 'Gift voucher', 'Do you sell gift vouchers?', '<v1@old.example>', 0, 'new', 0);
UPDATE messages SET in_reply_to = '<p1@old.example>', references_json = '["<p1@old.example>"]' WHERE seq = 2;

INSERT INTO message_raw (seq, compression, size, data) VALUES
  (1, 'deflate', 193, X'5d8dc10a82401445f703f30f775fc968103448b490a08514e90f3cf595c6e80cce48f5f7d94ebaabc3599c7b1a6daf71eb02e1623c0f48c7998fd63411bfa977860f529456c3b7d62db514c5543db90e1a576ec8e065abeaa773f69e1ebc39671aa98bff521905d628275e436d91d38844253ba8bd8e13ad14566a9e14f367cb307c0f708bba87ef869a515098c6863e91145f'),
  (2, 'none', 75, CAST('From: shop@old.example' || char(13, 10) || 'Subject: Re: Pedal wobble' || char(13, 10, 13, 10) || 'Thanks, a new pedal.' || char(13, 10) AS BLOB)),
  (3, 'none', 64, CAST('From: omar@old.example' || char(13, 10) || 'Subject: Gift voucher' || char(13, 10, 13, 10) || 'Vouchers?' || char(13, 10, 13, 10, 13, 10) AS BLOB));

INSERT INTO attachments (id, seq, name, content_type, size, fetched, data) VALUES
  ('at_pedal', 1, 'pedal.jpg', 'image/jpeg', 12, 1, X'FFD8FFE000104A4649460001');

INSERT INTO labels (id, name, color) VALUES ('lb_parts', 'Parts', '#d97706');
INSERT INTO conversation_labels (conversation_id, label_id) VALUES ('cv_pedal', 'lb_parts');
INSERT INTO notes (seq, id, conversation_id, body, created_at) VALUES
  (1, 'nt_pedal', 'cv_pedal', 'Sent a replacement pedal from stock.', 1772531000000);
INSERT INTO events (id, conversation_id, kind, detail, at) VALUES
  ('ev_voucher', 'cv_voucher', 'status', 'closed', 1772617300000);
INSERT INTO settings (key, value) VALUES ('layout', '{"sidebar":220,"list":360,"customer":300}');

-- The index the first versions kept for every message and note.
INSERT INTO message_fts (rowid, subject, body, people, files) VALUES
  (1, 'Pedal wobble', 'The left pedal wobbles since Saturday.', 'Rita Olsen rita@old.example shop@old.example', 'pedal.jpg'),
  (2, 'Re: Pedal wobble', 'Thanks, a new pedal is on its way.', 'Old shop shop@old.example Rita Olsen rita@old.example', ''),
  (3, 'Gift voucher', 'Do you sell gift vouchers?', 'Omar Haddad omar@old.example shop@old.example', '');
INSERT INTO note_fts (rowid, body) VALUES (1, 'Sent a replacement pedal from stock.');
