package cli

import (
	"fmt"
	"text/tabwriter"

	"tidings/backend/workspace"
)

func init() {
	register(&Command{
		Name:    "conversations",
		Args:    "[--json] [--query Q] [--status S] [--label L] [--limit N]",
		Summary: "List conversations, newest first.",
		Run:     runConversations,
	})
}

func runConversations(env *Env, args []string) error {
	fs := newFlags("conversations")
	asJSON := fs.Bool("json", false, "print JSON")
	query := fs.String("query", "", "only conversations matching this search query")
	status := fs.String("status", "", "open, pending, snoozed, closed or all")
	label := fs.String("label", "", "only conversations with this label")
	limit := fs.Int("limit", 0, "at most N conversations (0: all)")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("conversations: --limit must be 0 or more")
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	list, err := ws.Conversations(env.Ctx, workspace.ListOptions{Status: *status, Label: *label, Query: *query, Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "No conversations.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tCHANNEL\tCONTACT\tSUBJECT\tMSGS\tLAST")
	for _, c := range list {
		subj := c.Subject
		if subj == "" {
			subj = c.Preview
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", c.ID, c.Status, c.Channel, clip(c.Contact.Name, 24), clip(subj, 40), c.MessageCount, when(c.LastMessageAt))
	}
	return tw.Flush()
}
