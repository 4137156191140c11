package cli

import (
	"fmt"
)

func init() {
	register(&Command{
		Name:    "backup",
		Args:    "PATH [--json]",
		Summary: "Write a consistent single-file snapshot of the store, verified, even while Tidings runs.",
		Run:     runBackup,
	})
}

func runBackup(env *Env, args []string) error {
	fs := newFlags("backup")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	info, err := ws.Store.Backup(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, info)
	}
	fmt.Fprintf(env.Stdout, "Backup written to %s (%s): %d conversations, %d messages, %d contacts; verified.\n",
		info.Path, humanBytes(info.Bytes), info.Conversations, info.Messages, info.Contacts)
	return nil
}
