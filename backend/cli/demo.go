package cli

import (
	"fmt"
	"time"

	"tidings/backend/demo"
)

func init() {
	register(&Command{
		Name:    "demo",
		Args:    "",
		Summary: "Create a demo shop's inbox in the data directory, offline, to try Tidings.",
		Run:     runDemo,
	})
}

func runDemo(env *Env, args []string) error {
	fs := newFlags("demo")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	res, err := demo.Seed(env.Ctx, ws.Store, time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "Demo inbox created in %s: %d conversations, %d messages, %d contacts.\n", ws.Dir, res.Conversations, res.Messages, res.Contacts)
	fmt.Fprintln(env.Stdout, "Open it with 'tidings' (the window) or list it with 'tidings conversations'.")
	return nil
}
