package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "sync",
		Args:    "--once [--account NAME]",
		Summary: "Fetch new messages from every account (or one) and send the outbox.",
		Run:     runSync,
	})
}

func runSync(env *Env, args []string) error {
	return fmt.Errorf("sync is %w in this build", inbox.ErrNotAvailable)
}
