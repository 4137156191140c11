package app

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"tidings/backend/channels/email/dovetest"
)

// noIdleCaps is what Dovecot 2.3 announces after login, less IDLE.
const noIdleCaps = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS " +
	"THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED " +
	"I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE " +
	"SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"

// TestMailPollsWhereTheServerHasNoIdle: on a server without IDLE the
// window's loop checks the inbox every NoIdlePoll on the connection it
// has: new mail appears, and the loop never errs or reconnects for it.
func TestMailPollsWhereTheServerHasNoIdle(t *testing.T) {
	dove := dovetest.StartWith(t, dovetest.Options{Users: map[string]string{mailUser: mailPass}, IMAPCapability: noIdleCaps})
	h := newMailHarnessOn(t, dove, mailPass)
	h.mail = NewMail(h.ws, h.rec, h.sec, &MailOptions{MinBackoff: 150 * time.Millisecond, NoIdlePoll: 300 * time.Millisecond, Poll: time.Hour, Syncer: syncerOptions()})
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(1)); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle && h.conversationWith("order1@example.com") != "" })
	for i := 2; i <= 3; i++ {
		if err := h.dove.Save(mailUser, "INBOX", mailFrom(i)); err != nil {
			t.Fatal(err)
		}
		h.within(5*time.Second, "polled mail stored", func() bool { return h.conversationWith(fmt.Sprintf("order%d@example.com", i)) != "" })
	}
	if n := h.mail.attempts(h.acc.ID); n != 1 {
		t.Errorf("connections: got %d, want 1 (polling keeps the connection)", n)
	}
	if states := h.rec.states(h.acc.ID); slices.Contains(states, MailError) || slices.Contains(states, MailOffline) {
		t.Errorf("states %v: polling is not an error", states)
	}
}
