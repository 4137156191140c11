package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "export",
		Args:    "--format mbox|eml|json|csv|html|pdf [--query Q] [--conversation ID] --out PATH",
		Summary: "Export conversations in an open format.",
		Run:     runExport,
	})
}

func runExport(env *Env, args []string) error {
	return fmt.Errorf("export is %w in this build", inbox.ErrNotAvailable)
}
