// Package email is Tidings' email channel: MIME parsing (RFC 5322, RFC 2045-2047,
// RFC 2231), IMAP sync (RFC 9051 / RFC 3501 with CONDSTORE, RFC 7162, and
// SPECIAL-USE, RFC 6154) and SMTP submission (RFC 6409).
//
// Parse turns the original bytes of a message into an inbox.Message. It never
// fails: a message it cannot understand keeps its raw bytes and says why in
// ParseError. Hostile input is bounded by caps on header size, nesting depth
// and part count, so every message costs at most a few milliseconds.
package email
