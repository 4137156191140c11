package cli

import (
	"fmt"

	"tidings/backend/export/importer"
	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "import",
		Args:    "PATH [--account NAME] [--own ADDR]... [--json]",
		Summary: "Import an mbox, .eml files, a zip of .eml, a Maildir or a Tidings JSON export.",
		Run:     runImport,
	})
}

func runImport(env *Env, args []string) error {
	fs := newFlags("import")
	var own listFlag
	fs.Var(&own, "own", "an address of yours besides your accounts' (repeatable): mail from it is outgoing")
	account := fs.String("account", "", "file the mail under this email account, threaded with its synced mail")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	env.CacheMiB = 32 // bulk ingest: a bigger page cache saves ~20% CPU
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	opts := &importer.Options{Own: own}
	if *account != "" {
		acc, err := ws.Store.AccountByName(env.Ctx, *account)
		if err != nil {
			return err
		}
		if acc.Channel != inbox.ChannelEmail {
			return usagef("import: account %q is a %s account; mail can only go under an email account", *account, acc.Channel)
		}
		opts.Account = &acc
	}
	progress, clear := progressLine(env, "importing", "messages")
	opts.Progress = progress
	sum, err := importer.Import(env.Ctx, ws.Store, pos[0], opts)
	clear()
	if err != nil {
		if sum.Imported > 0 {
			return fmt.Errorf("%w (the %d messages imported before the error are kept)", err, sum.Imported)
		}
		return err
	}
	if sum.Imported > 0 {
		// A bulk import leaves the search index in many small segments;
		// merging them now keeps the first searches fast.
		if _, err := ws.Store.MergeFTS(env.Ctx, nil); err != nil {
			fmt.Fprintln(env.Stderr, "tidings: warning: "+err.Error())
		}
	}
	if *asJSON {
		return printJSON(env.Stdout, sum)
	}
	fmt.Fprintf(env.Stdout, "Imported %d messages (%d new conversations); %d already here, skipped; %d unreadable, kept as they are.\n",
		sum.Imported, sum.Conversations, sum.Skipped, sum.Unreadable)
	if len(sum.NotMail) > 0 {
		fmt.Fprintf(env.Stdout, "%d files were not mail and were left out:\n", len(sum.NotMail))
		for i, f := range sum.NotMail {
			if i == 10 {
				fmt.Fprintf(env.Stdout, "  ... and %d more\n", len(sum.NotMail)-10)
				break
			}
			fmt.Fprintln(env.Stdout, "  "+f)
		}
	}
	for i, w := range sum.Warnings {
		if i == 10 {
			fmt.Fprintf(env.Stderr, "tidings: ... and %d more warnings (see --json)\n", len(sum.Warnings)-10)
			break
		}
		fmt.Fprintln(env.Stderr, "tidings: warning: "+w)
	}
	return nil
}
