package threader

import (
	"regexp"
	"strings"
	"sync"
)

// replyPrefix matches one reply or forward marker in the languages small
// businesses meet: "Re:", "RE[2]:", "Fwd:", "AW:", "WG:", "SV:", "Antw:",
// "TR:", "RV:", "Odp:", "回复:", "転送:", with an ASCII or full-width colon.
var replyPrefix = regexp.MustCompile(`(?i)^\s*(re|fw|fwd|aw|wg|sv|vs|vb|antw|antwort|tr|rv|ref|odp|r|res|enc|回复|答复|回覆|転送|返信|Ｒｅ|ＲＥ)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*`)

// tagPrefix matches a leading "[EXT]" or "[list-name]" tag.
var tagPrefix = regexp.MustCompile(`^\s*\[[^\]]{1,40}\]\s*`)

// CleanSubject strips reply and forward markers from a subject, for a new
// conversation's title: "Re: Fwd: Order 12" becomes "Order 12".
func CleanSubject(s string) string {
	for i := 0; i < 20; i++ {
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
	return replyPrefix.MatchString(s) || replyPrefix.MatchString(tagPrefix.ReplaceAllString(s, ""))
}

// subjectKey is the form subjects are compared in: markers and leading tags
// dropped, case and spacing folded.
func subjectKey(s string) string {
	for i := 0; i < 20; i++ {
		t := tagPrefix.ReplaceAllString(replyPrefix.ReplaceAllString(s, ""), "")
		if t == s {
			break
		}
		s = t
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// keyCache remembers subjectKey of conversation subjects: the subject rule
// compares a message with every recent conversation of its customer, and
// two regular expressions per conversation per message add up.
type keyCache struct {
	mu sync.Mutex
	m  map[string]string
}

// maxCachedKeys bounds keyCache; past it the cache starts over.
const maxCachedKeys = 20000

func (c *keyCache) key(s string) string {
	c.mu.Lock()
	k, ok := c.m[s]
	c.mu.Unlock()
	if ok {
		return k
	}
	k = subjectKey(s)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedKeys {
		c.m = map[string]string{}
	}
	c.m[s] = k
	c.mu.Unlock()
	return k
}
