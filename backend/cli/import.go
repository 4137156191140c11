package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "import",
		Args:    "PATH",
		Summary: "Import an mbox, .eml files, a Maildir or a Tidings JSON export.",
		Run:     runImport,
	})
}

func runImport(env *Env, args []string) error {
	return fmt.Errorf("import is %w in this build", inbox.ErrNotAvailable)
}
