package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"tidings/backend/identity"
)

func init() {
	register(&Command{
		Name:    "merge",
		Args:    "[list] [--json] | accept SUGGESTION [--keep CONTACT] | dismiss SUGGESTION | undo MERGE",
		Summary: "Review contacts that may be one customer (same phone or email on two channels, an address given in a chat): nothing is merged until you accept, and a merge can be undone.",
		Run:     runMerge,
	})
}

func runMerge(env *Env, args []string) error {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	st := ws.Store
	switch sub {
	case "list":
		fs := newFlags("merge")
		asJSON := fs.Bool("json", false, "print JSON")
		if _, err := parse(env, fs, args, 0, 0); err != nil {
			return err
		}
		if _, err := identity.Refresh(env.Ctx, st); err != nil {
			return err
		}
		sugs, err := identity.Suggestions(env.Ctx, st)
		if err != nil {
			return err
		}
		type side struct {
			ID         string   `json:"id"`
			Name       string   `json:"name"`
			Identities []string `json:"identities"`
		}
		type row struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
			Detail string `json:"detail"`
			A      side   `json:"a"`
			B      side   `json:"b"`
		}
		out := []row{}
		for _, g := range sugs {
			r := row{ID: g.ID, Reason: string(g.Reason), Detail: g.Detail,
				A: side{ID: g.A.ID, Name: g.A.DisplayName(), Identities: []string{}}, B: side{ID: g.B.ID, Name: g.B.DisplayName(), Identities: []string{}}}
			for _, i := range g.A.Identities {
				r.A.Identities = append(r.A.Identities, string(i.Channel)+":"+i.Address)
			}
			for _, i := range g.B.Identities {
				r.B.Identities = append(r.B.Identities, string(i.Channel)+":"+i.Address)
			}
			out = append(out, r)
		}
		if *asJSON {
			return printJSON(env.Stdout, out)
		}
		if len(out) == 0 {
			fmt.Fprintln(env.Stdout, "No merge suggestions.")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SUGGESTION\tCONTACT A\tCONTACT B\tWHY")
		for _, r := range out {
			fmt.Fprintf(tw, "%s\t%s (%s)\t%s (%s)\t%s\n", r.ID, r.A.Name, strings.Join(r.A.Identities, ", "),
				r.B.Name, strings.Join(r.B.Identities, ", "), clip(r.Detail, 60))
		}
		return tw.Flush()
	case "accept":
		fs := newFlags("merge")
		keep := fs.String("keep", "", "the contact to keep (default: the older)")
		pos, err := parse(env, fs, args, 1, 1)
		if err != nil {
			return err
		}
		id, err := identity.Accept(env.Ctx, st, pos[0], *keep)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		fmt.Fprintf(env.Stdout, "Merged. Undo with: tidings merge undo %s\n", id)
		return nil
	case "dismiss":
		pos, err := parse(env, newFlags("merge"), args, 1, 1)
		if err != nil {
			return err
		}
		if err := identity.Dismiss(env.Ctx, st, pos[0]); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		fmt.Fprintln(env.Stdout, "Dismissed; it will not be suggested again.")
		return nil
	case "undo":
		pos, err := parse(env, newFlags("merge"), args, 1, 1)
		if err != nil {
			return err
		}
		restored, err := identity.Undo(env.Ctx, st, pos[0])
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		fmt.Fprintf(env.Stdout, "Undone: contact %s is separate again.\n", restored)
		return nil
	}
	return usagef("merge: unknown subcommand %q (want list, accept, dismiss or undo)", sub)
}
