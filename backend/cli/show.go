package cli

import (
	"fmt"
	"strings"

	"tidings/backend/workspace"
)

func init() {
	register(&Command{
		Name:    "show",
		Args:    "ID [--customer] [--json]",
		Summary: "Show one conversation with every message, note and status change (--customer: and its customer's timeline across channels).",
		Run:     runShow,
	})
}

func runShow(env *Env, args []string) error {
	fs := newFlags("show")
	asJSON := fs.Bool("json", false, "print JSON")
	customer := fs.Bool("customer", false, "also every conversation and message of the customer across channels, in one timeline")
	pos, err := parse(env, fs, args, 1, 1)
	if err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	t, err := ws.Thread(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	var cv *workspace.CustomerView
	if *customer && t.Contact.ID != "" {
		v, err := ws.Customer(env.Ctx, t.Contact.ID)
		if err != nil {
			return err
		}
		cv = &v
	}
	if *asJSON {
		if *customer {
			return printJSON(env.Stdout, showWithCustomer{ThreadView: t, Customer: cv})
		}
		return printJSON(env.Stdout, t)
	}
	w := env.Stdout
	subj := t.Subject
	if subj == "" {
		subj = "(" + t.Channel + " chat)"
	}
	fmt.Fprintf(w, "%s\n%s · %s · %s", subj, t.ID, t.Status, t.Contact.Name)
	if len(t.Labels) > 0 {
		fmt.Fprintf(w, " · %s", strings.Join(t.Labels, ", "))
	}
	fmt.Fprintln(w)
	for _, m := range t.Messages {
		who := m.FromName
		if who == "" {
			who = m.From
		}
		arrow := "←"
		if m.Direction == "out" {
			arrow = "→"
		}
		fmt.Fprintf(w, "\n%s %s · %s · %s\n", arrow, who, m.Channel, when(m.Date))
		if m.ParseError != "" {
			fmt.Fprintf(w, "  [could not be parsed: %s; the original is kept]\n", m.ParseError)
		}
		if m.BodyGone {
			fmt.Fprintf(w, "  [%s: body not downloaded; the message was removed from the server]\n", m.Subject)
		} else if m.BodyPending {
			fmt.Fprintf(w, "  [%s: the body is still being downloaded]\n", m.Subject)
		}
		for _, l := range strings.Split(strings.TrimRight(m.Text, "\n"), "\n") {
			fmt.Fprintln(w, "  "+l)
		}
		for _, a := range m.Attachments {
			left := ""
			if a.NotDownloaded {
				left = ", not downloaded yet"
			}
			fmt.Fprintf(w, "  📎 %s (%s, %d bytes%s)\n", a.Name, a.ContentType, a.Size, left)
		}
	}
	for _, n := range t.Notes {
		fmt.Fprintf(w, "\nNote · %s\n  %s\n", when(n.CreatedAt), n.Body)
	}
	if cv != nil {
		printCustomer(w, *cv, t.ID)
	}
	return nil
}
