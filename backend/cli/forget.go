package cli

import (
	"fmt"
)

func init() {
	register(&Command{
		Name:    "forget",
		Args:    "CONTACT_ID --yes [--json]",
		Summary: "Delete everything held on one contact: conversations, messages, notes, identities.",
		Run:     runForget,
	})
}

func runForget(env *Env, args []string) error {
	fs := newFlags("forget")
	yes := fs.Bool("yes", false, "confirm: this cannot be undone (make a backup first)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	if !*yes {
		return usagef("forget: this deletes the contact's messages for good; add --yes to confirm (and consider 'tidings export --contact %s' first)", pos[0])
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	res, err := ws.Store.ForgetContact(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "Forgot contact %s: %d conversations, %d messages, %d notes, %d identities deleted.\n",
		pos[0], res.Conversations, res.Messages, res.Notes, res.Identities)
	return nil
}
