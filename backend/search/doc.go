// Package search implements Tidings' query language and runs it against the
// store's full-text index.
//
// A query is plain words, "exact phrases", -excluded terms, OR between terms,
// parentheses, a trailing * for a prefix, and operators: from: to: channel:
// account: label: status: is:unread|read|auto|flagged has:attachment before:
// after: (dates as 2026-11-01, 7d, 2w, 3m, 1y, today, yesterday). Parse turns
// the text into an AST whose every node knows its position, so a mistake is
// reported where it is (Error). Compile turns the AST into SQL: words and
// phrases go into FTS5 MATCH expressions as quoted strings, operators become
// parameterized predicates; no query text is ever spliced into SQL.
//
// The index is the store's contentless FTS5 table message_fts(subject, body,
// people, files), rowid = messages.seq, and note_fts(body), rowid =
// notes.seq, both with unicode61 remove_diacritics 2. Results are grouped by
// conversation, newest first, or by relevance (bm25 over a bounded set of the
// newest matches) on request. Ranking every match of a common word costs
// seconds at a million messages, so newest-first never ranks. It picks one
// of three plans by how many messages the words match: few (up to about
// sqrt(5 × messages)) are looked up one by one ("index"); a middling number
// (up to SetMax) are read once into a temporary b-tree that SQLite checks
// each message against while it walks a covering (sent_at, seq) index
// newest first, so only matches reach Go ("set"); more are checked a chunk
// of walked rows at a time with rowid-range queries ("walk"). Walks stop at the
// limit, so a word in every message costs no more than a rare one. Pages
// continue from a (date, row) cursor at the same cost at any depth.
// Snippets are computed in Go from the stored body, since a contentless table
// has no snippet().
package search
