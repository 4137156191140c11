package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "reply",
		Args:    "ID --body-file FILE",
		Summary: "Reply to a conversation on its channel.",
		Run:     runReply,
	})
}

func runReply(env *Env, args []string) error {
	return fmt.Errorf("reply is %w in this build", inbox.ErrNotAvailable)
}
