package email

import (
	"context"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// Role is what a folder is for, from SPECIAL-USE (RFC 6154) or its name.
type Role string

// Folder roles.
const (
	RoleInbox   Role = "inbox"
	RoleSent    Role = "sent"
	RoleArchive Role = "archive"
	RoleDrafts  Role = "drafts"
	RoleTrash   Role = "trash"
	RoleJunk    Role = "junk"
	RoleAll     Role = "all"
	RoleOther   Role = ""
)

// Folder is one mailbox on the server.
type Folder struct {
	Name string `json:"name"`
	Role Role   `json:"role,omitempty"`
}

// nameRoles guesses roles of servers without SPECIAL-USE from common names.
var nameRoles = map[string]Role{
	"sent": RoleSent, "sent items": RoleSent, "sent messages": RoleSent, "sent mail": RoleSent, "gesendet": RoleSent,
	"gesendete elemente": RoleSent, "envoyés": RoleSent, "inbox.sent": RoleSent, "[gmail]/sent mail": RoleSent,
	"archive": RoleArchive, "archives": RoleArchive, "archiv": RoleArchive, "inbox.archive": RoleArchive,
	"drafts": RoleDrafts, "trash": RoleTrash, "deleted items": RoleTrash, "junk": RoleJunk, "spam": RoleJunk,
}

// Folders lists the server's selectable folders with their roles.
func (s *Session) Folders(ctx context.Context) ([]Folder, error) {
	var list []*imap.ListData
	err := s.do(ctx, func() error {
		var opts *imap.ListOptions
		if s.Has("SPECIAL-USE") {
			opts = &imap.ListOptions{ReturnSpecialUse: true}
		}
		var err error
		list, err = s.c.List("", "*", opts).Collect()
		return err
	})
	if err != nil {
		return nil, s.classify("LIST", err)
	}
	var out []Folder
	for _, l := range list {
		f := Folder{Name: l.Mailbox}
		skip := false
		for _, a := range l.Attrs {
			switch a {
			case imap.MailboxAttrNoSelect, imap.MailboxAttrNonExistent:
				skip = true
			case imap.MailboxAttrSent:
				f.Role = RoleSent
			case imap.MailboxAttrArchive:
				f.Role = RoleArchive
			case imap.MailboxAttrDrafts:
				f.Role = RoleDrafts
			case imap.MailboxAttrTrash:
				f.Role = RoleTrash
			case imap.MailboxAttrJunk:
				f.Role = RoleJunk
			case imap.MailboxAttrAll:
				f.Role = RoleAll
			}
		}
		if skip {
			continue
		}
		if strings.EqualFold(f.Name, "INBOX") {
			f.Role = RoleInbox
		}
		out = append(out, f)
	}
	// Name guesses only for roles no folder claimed by attribute.
	claimed := map[Role]bool{}
	for _, f := range out {
		claimed[f.Role] = true
	}
	for i := range out {
		if out[i].Role == RoleOther {
			if r, ok := nameRoles[strings.ToLower(out[i].Name)]; ok && !claimed[r] {
				out[i].Role, claimed[r] = r, true
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// PickFolders chooses what to sync: Inbox, Sent and Archive, plus the
// folders named in extra.
func PickFolders(all []Folder, extra []string) []Folder {
	var out []Folder
	want := map[string]bool{}
	for _, e := range extra {
		want[strings.ToLower(e)] = true
	}
	for _, role := range []Role{RoleInbox, RoleSent, RoleArchive} {
		for _, f := range all {
			if f.Role == role {
				out = append(out, f)
				break
			}
		}
	}
	for _, f := range all {
		if want[strings.ToLower(f.Name)] && f.Role != RoleInbox && f.Role != RoleSent && f.Role != RoleArchive {
			out = append(out, f)
		}
	}
	return out
}
