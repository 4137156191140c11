package syncer

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"tidings/backend/channels/email"
	"tidings/backend/inbox"
)

// An extra folder chosen on an existing account is saved in the server's
// spelling, synced from then on, and stops syncing when left out again,
// keeping what came from it. A folder the server lacks is refused and
// nothing is saved.
func TestSetFoldersOnAnExistingAccount(t *testing.T) {
	h := newHarness(t, nil)
	h.save("INBOX", customer(1, ""))
	if out, err := h.dove.Doveadm(nil, "mailbox", "create", "-u", user, "Projects"); err != nil {
		t.Fatalf("doveadm mailbox create: %v: %s", err, out)
	}
	h.save("Projects", customer(2, ""))
	h.sync()
	if n := h.messages(); n != 1 {
		t.Fatalf("before choosing: %d messages, want the inbox's 1", n)
	}
	got, err := h.sy.FolderChoices(h.ctx, h.acc)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]FolderChoice{}
	for _, c := range got {
		byName[c.Name] = c
	}
	if c := byName["INBOX"]; !c.Synced || !c.Always {
		t.Errorf("INBOX: %+v, want synced always", c)
	}
	if c, ok := byName["Projects"]; !ok || c.Synced || c.Always {
		t.Errorf("Projects: %+v (listed %v), want listed and not synced", c, ok)
	}

	if _, _, err := h.sy.SetFolders(h.ctx, h.acc, []string{"projects", "Nowhere"}); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), `"Nowhere"`) {
		t.Fatalf("a folder the server lacks: %v, want a usage error naming it", err)
	}
	if a, _ := h.st.Account(h.ctx, h.acc.ID); strings.Contains(string(a.Config), "rojects") {
		t.Fatalf("a refused choice was saved: %s", a.Config)
	}

	acc, after, err := h.sy.SetFolders(h.ctx, h.acc, []string{" projects ", "PROJECTS", "INBOX"})
	if err != nil {
		t.Fatal(err)
	}
	var cfg email.Config
	if cfg, err = config(acc); err != nil || !slices.Equal(cfg.Folders, []string{"Projects"}) {
		t.Fatalf("saved folders %q (%v), want the server's spelling once", cfg.Folders, err)
	}
	if cfg.IMAPHost == "" || cfg.Address != user {
		t.Errorf("saving folders lost the other settings: %+v", cfg)
	}
	if !slices.ContainsFunc(after, func(c FolderChoice) bool { return c.Name == "Projects" && c.Synced }) {
		t.Errorf("the returned choices do not mark Projects synced: %+v", after)
	}
	h.acc = acc
	h.sync()
	if n := h.messages(); n != 2 {
		t.Fatalf("after choosing Projects: %d messages, want 2", n)
	}

	acc, _, err = h.sy.SetFolders(h.ctx, h.acc, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.acc = acc
	h.save("Projects", customer(3, ""))
	h.sync()
	if n := h.messages(); n != 2 {
		t.Errorf("after leaving Projects out: %d messages, want the 2 kept and none new", n)
	}
	if _, err := h.sy.FolderChoices(h.ctx, inbox.Account{Name: "Demo", Channel: inbox.ChannelEmail, Config: []byte(`{"demo":true}`)}); !errors.Is(err, inbox.ErrInvalid) {
		t.Errorf("folders of a demo account: %v, want ErrInvalid", err)
	}
}
