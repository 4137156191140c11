package inbox

import (
	"regexp"
	"strings"
)

// The subject vocabulary of email threading (RFC 5322 section 3.6.5 leaves
// reply markers to convention): markers are stripped for a conversation's
// title, and subjects are compared by their key.

// replyPrefix matches one reply or forward marker in the languages small
// businesses meet: "Re:", "RE[2]:", "Fwd:", "AW:", "WG:", "SV:", "Antw:",
// "TR:", "RV:", "Odp:", "回复:", "転送:", with an ASCII or full-width colon.
var replyPrefix = regexp.MustCompile(`(?i)^\s*(re|fw|fwd|aw|wg|sv|vs|vb|antw|antwort|tr|rv|ref|odp|r|res|enc|回复|答复|回覆|転送|返信|Ｒｅ|ＲＥ)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*`)

// tagPrefix matches a leading "[EXT]" or "[list-name]" tag.
var tagPrefix = regexp.MustCompile(`^\s*\[[^\]]{1,40}\]\s*`)

// CleanSubject strips reply and forward markers from a subject, for a new
// conversation's title: "Re: Fwd: Order 12" becomes "Order 12".
func CleanSubject(s string) string {
	for i := 0; i < 20 && strings.ContainsAny(s, ":："); i++ {
		t := replyPrefix.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	return strings.TrimSpace(s)
}

// IsReplySubject reports whether the subject carries a reply or forward
// marker.
func IsReplySubject(s string) bool {
	if !strings.ContainsAny(s, ":：") {
		return false // every marker ends in a colon
	}
	return replyPrefix.MatchString(s) || replyPrefix.MatchString(tagPrefix.ReplaceAllString(s, ""))
}

// SubjectKey is the form subjects are compared in by the threader's subject
// rule: markers and leading tags dropped, case and spacing folded. The store
// keeps it beside each conversation's subject, so the rule is an index seek.
func SubjectKey(s string) string {
	for i := 0; i < 20 && mayHavePrefix(s); i++ {
		t := tagPrefix.ReplaceAllString(replyPrefix.ReplaceAllString(s, ""), "")
		if t == s {
			break
		}
		s = t
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// mayHavePrefix reports whether replyPrefix or tagPrefix could match s:
// a marker needs a colon, a tag a leading bracket. Most subjects have
// neither, and skip both regular expressions.
func mayHavePrefix(s string) bool {
	return strings.ContainsAny(s, ":：") || strings.HasPrefix(strings.TrimLeft(s, "\t\n\f\r "), "[")
}
