package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"tidings/backend/inbox"
	"tidings/backend/syncer"
)

// folderSet is --set: folder names, repeatable or comma separated; given
// empty (--set "") it chooses none beyond Inbox, Sent and Archive.
type folderSet struct {
	names []string
	given bool
}

func (f *folderSet) String() string { return strings.Join(f.names, ",") }
func (f *folderSet) Set(v string) error {
	f.given = true
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			f.names = append(f.names, p)
		}
	}
	return nil
}

// runAccountFolders is `account folders NAME [--set F,...] [--json]`: the
// server's folders and which sync; --set chooses the extra ones.
func runAccountFolders(env *Env, args []string) error {
	fs := newFlags("account folders")
	var set folderSet
	fs.Var(&set, "set", `sync these folders besides Inbox, Sent and Archive (repeatable, or comma separated; "" for none)`)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	a, err := ws.Store.AccountByName(env.Ctx, pos[0])
	if err != nil {
		return fmt.Errorf("account folders: %w", err)
	}
	if a.Channel != inbox.ChannelEmail {
		return usagef("account folders: %s is a %s account; only email accounts have folders", a.Name, a.Channel)
	}
	opts := syncOptions(env)
	opts.Secrets = openSecrets(env)
	sy := syncer.New(ws.Store, opts)
	var list []syncer.FolderChoice
	if set.given {
		_, list, err = sy.SetFolders(env.Ctx, a, set.names)
	} else {
		list, err = sy.FolderChoices(env.Ctx, a)
	}
	if errors.Is(err, syncer.ErrUsage) {
		return usagef("account folders: %s", strings.TrimPrefix(err.Error(), "syncer: invalid: "))
	}
	if err != nil {
		return fmt.Errorf("account folders: %w", err)
	}
	if *asJSON {
		return printJSON(env.Stdout, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FOLDER\tROLE\tSYNCED")
	for _, f := range list {
		synced := "no"
		switch {
		case f.Always:
			synced = "always"
		case f.Synced:
			synced = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Role, synced)
	}
	return tw.Flush()
}
