package app

import (
	"strings"
	"testing"
)

// Choosing an extra folder in the settings restarts the account's sync,
// which then brings in that folder's mail.
func TestMailSetFoldersSyncsTheChosenFolder(t *testing.T) {
	h := newMailHarness(t, mailPass)
	if err := h.dove.Save(mailUser, "INBOX", mailFrom(1)); err != nil {
		t.Fatal(err)
	}
	if out, err := h.dove.Doveadm(nil, "mailbox", "create", "-u", mailUser, "Wholesale"); err != nil {
		t.Fatalf("doveadm mailbox create: %v: %s", err, out)
	}
	if err := h.dove.Save(mailUser, "Wholesale", mailFrom(2)); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.eventually("first sync idle", func() bool { return h.state().State == MailIdle })
	if h.conversationWith("order2@example.com") != "" {
		t.Fatal("a folder nobody chose was synced")
	}
	list, err := h.mail.Folders(h.acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, f := range list {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "Wholesale") {
		t.Fatalf("folders %v lack Wholesale", names)
	}
	if _, err := h.mail.SetFolders(h.acc.ID, []string{"Nowhere"}); err == nil || !strings.Contains(err.Error(), "Nowhere") {
		t.Fatalf("an unknown folder: %v, want an error naming it", err)
	}
	got, err := h.mail.SetFolders(h.acc.ID, []string{"wholesale"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		if f.Name == "Wholesale" && !f.Synced {
			t.Errorf("Wholesale not marked synced: %+v", got)
		}
	}
	h.eventually("the chosen folder's mail arrives", func() bool { return h.conversationWith("order2@example.com") != "" })
	if _, err := h.mail.Folders("acc_nope"); err == nil {
		t.Error("folders of an unknown account: no error")
	}
}
