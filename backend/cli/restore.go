package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "restore",
		Args:    "PATH",
		Summary: "Replace the store with a verified backup, keeping the previous one.",
		Run:     runRestore,
	})
}

func runRestore(env *Env, args []string) error {
	return fmt.Errorf("restore is %w in this build", inbox.ErrNotAvailable)
}
