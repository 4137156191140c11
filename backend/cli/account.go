package cli

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
)

// accountAdders maps a channel name to its `account add CHANNEL` command.
// Each channel's file adds itself in init().
var accountAdders = map[string]func(env *Env, args []string) error{
	"email": runAccountAddEmail,
}

func adderNames() []string {
	var out []string
	for n := range accountAdders {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func init() {
	register(&Command{
		Name:    "account",
		Args:    "list [--json] | folders NAME [--set FOLDER,...] [--json] | add email --name NAME --address ADDR --imap HOST:PORT --smtp HOST:PORT --security tls|starttls|none --user USER [--folder NAME]... --password-stdin | add telegram --name NAME --token-stdin",
		Summary: "List connected accounts, choose an email account's folders, or connect a new one.",
		Run:     runAccount,
	})
}

func runAccount(env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("account: say 'list', 'folders' or 'add'")
	}
	switch args[0] {
	case "list":
		return runAccountList(env, args[1:])
	case "folders":
		return runAccountFolders(env, args[1:])
	case "add":
		if len(args) < 2 {
			return usagef("account add: name the channel (email)")
		}
		add, ok := accountAdders[args[1]]
		if !ok {
			return usagef("account add: unknown channel %q (known: %s)", args[1], strings.Join(adderNames(), ", "))
		}
		return add(env, args[2:])
	case "-h", "--help", "help":
		c := commands["account"]
		fmt.Fprintf(env.Stdout, "usage: tidings account %s\n\n%s\n", c.Args, c.Summary)
		return nil
	}
	return usagef("account: unknown subcommand %q (want list, folders or add)", args[0])
}

func runAccountList(env *Env, args []string) error {
	fs := newFlags("account")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	list, err := ws.Accounts(env.Ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "No accounts yet. Connect one with 'tidings account add email ...'.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCHANNEL\tADDRESS\tLAST SYNC\tSTATUS")
	for _, a := range list {
		status := "ok"
		if a.LastError != "" {
			status = clip(a.LastError, 50)
		}
		last := "never"
		if a.LastSyncAt != "" {
			last = when(a.LastSyncAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Channel, a.Address, last, status)
	}
	return tw.Flush()
}
