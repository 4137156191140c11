package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "backup",
		Args:    "PATH",
		Summary: "Write a consistent single-file snapshot of the store.",
		Run:     runBackup,
	})
}

func runBackup(env *Env, args []string) error {
	return fmt.Errorf("backup is %w in this build", inbox.ErrNotAvailable)
}
