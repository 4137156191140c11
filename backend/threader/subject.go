package threader

import "tidings/backend/inbox"

// CleanSubject strips reply and forward markers from a subject, for a new
// conversation's title: "Re: Fwd: Order 12" becomes "Order 12"
// (inbox.CleanSubject).
func CleanSubject(s string) string { return inbox.CleanSubject(s) }

// IsReplySubject reports whether the subject carries a reply or forward
// marker (inbox.IsReplySubject).
func IsReplySubject(s string) bool { return inbox.IsReplySubject(s) }
