package cli

import (
	"fmt"
	"os"
	"time"

	"tidings/backend/store"
)

func init() {
	register(&Command{
		Name:    "restore",
		Args:    "PATH [--json]",
		Summary: "Replace the store with a verified backup, keeping the previous one (close the window first).",
		Run:     runRestore,
	})
}

func runRestore(env *Env, args []string) error {
	fs := newFlags("restore")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(env.DataDir, 0o700); err != nil {
		return fmt.Errorf("restore: cannot create data directory %s: %w", env.DataDir, err)
	}
	info, err := store.Restore(env.Ctx, pos[0], store.Path(env.DataDir), time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, info)
	}
	fmt.Fprintf(env.Stdout, "Restored %s: %d conversations, %d messages, %d contacts.\n", pos[0], info.Conversations, info.Messages, info.Contacts)
	if info.Previous != "" {
		fmt.Fprintf(env.Stdout, "The previous store is kept at %s.\n", info.Previous)
	}
	return nil
}
