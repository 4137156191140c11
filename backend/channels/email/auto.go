package email

import (
	"strings"

	"tidings/backend/inbox"
)

// autoSubjects start the subjects of auto-replies and bounces in the
// languages small businesses meet most.
var autoSubjects = []string{
	"auto:", "automatic reply", "autoreply", "auto-reply", "auto reply", "out of office", "out of the office",
	"abwesenheitsnotiz", "automatische antwort", "réponse automatique", "respuesta automática",
	"risposta automatica", "automatisch antwoord", "undelivered mail", "undeliverable:", "delivery status notification",
	"mail delivery failed", "returned mail:", "failure notice", "delivery failure",
}

// autoSenders are local parts of machine senders.
var autoSenders = []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "bounce", "bounces"}

// isAuto reports whether a message was sent by a machine: an auto-reply (RFC
// 3834 Auto-Submitted, X-Autoreply, out-of-office subjects), bulk or list
// mail (Precedence, RFC 2919 List-Id, RFC 2369 List-Unsubscribe), or a
// bounce (RFC 3464 multipart/report, null return path).
func isAuto(h header, subject string, from inbox.Address, ct string) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Auto-Reply", "List-Id", "List-Unsubscribe", "X-Loop"} {
		if h.Has(k) {
			return true
		}
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	if ct == "multipart/report" {
		return true
	}
	if rp := strings.TrimSpace(h.Get("Return-Path")); rp == "<>" {
		return true
	}
	local := strings.ToLower(from.Address)
	if i := strings.IndexByte(local, '@'); i >= 0 {
		local = local[:i]
	}
	for _, s := range autoSenders {
		if local == s || strings.HasPrefix(local, s+"+") {
			return true
		}
	}
	sub := strings.ToLower(subject)
	for _, s := range autoSubjects {
		if strings.HasPrefix(sub, s) {
			return true
		}
	}
	return false
}
