package cli

import (
	"fmt"

	"tidings/backend/inbox"
)

func init() {
	register(&Command{
		Name:    "search",
		Args:    "QUERY [--json] [--limit N]",
		Summary: "Search every message, newest first (50 results by default).",
		Run:     runSearch,
	})
}

func runSearch(env *Env, args []string) error {
	return fmt.Errorf("search is %w in this build", inbox.ErrNotAvailable)
}
