package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"tidings/backend/search"
	"tidings/backend/workspace"
)

func init() {
	register(&Command{
		Name: "search",
		Args: "QUERY [--json] [--limit N] [--relevance] [--after CURSOR] [--save NAME] [--timing] | --saved NAME | --list-saved | --delete-saved NAME",
		Summary: "Search every message and note, newest first (50 conversations by default). QUERY: words, \"phrases\", -word, OR, " +
			"from: to: channel: account: label: status: is:unread|read|auto|flagged has:attachment before: after: (2026-11-01, 7d, yesterday).",
		Run: runSearch,
	})
}

func runSearch(env *Env, args []string) error {
	start, startCPU := time.Now(), processCPU()
	fs := newFlags("search")
	asJSON := fs.Bool("json", false, "print JSON: an array of {conversation_id, message_id, snippet, ...}")
	limit := fs.Int("limit", search.DefaultLimit, "at most N conversations")
	relevance := fs.Bool("relevance", false, "rank by relevance instead of newest first")
	after := fs.String("after", "", "continue after a previous page (the cursor it printed)")
	save := fs.String("save", "", "also save QUERY as a view named NAME")
	saved := fs.String("saved", "", "run the saved search NAME")
	listSaved := fs.Bool("list-saved", false, "list the saved searches")
	deleteSaved := fs.String("delete-saved", "", "delete the saved search NAME")
	timing := fs.Bool("timing", false, "print to stderr how long the command took once started (opening the store included), and the CPU time it used")
	flagArgs, pos := splitQueryArgs(args)
	if _, err := parse(env, fs, flagArgs, 0, 0); err != nil {
		return err
	}
	if *limit < 1 || *limit > search.MaxLimit {
		return usagef("search: --limit must be between 1 and %d", search.MaxLimit)
	}
	query := strings.Join(pos, " ")
	modes := 0
	for _, on := range []bool{query != "", *saved != "", *listSaved, *deleteSaved != ""} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		return usagef("search: give a QUERY, or one of --saved NAME, --list-saved, --delete-saved NAME")
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	switch {
	case *listSaved:
		return printSaved(env, ws, *asJSON)
	case *deleteSaved != "":
		return ws.DeleteSavedSearch(env.Ctx, *deleteSaved)
	case *saved != "":
		s, err := ws.SavedSearch(env.Ctx, *saved)
		if err != nil {
			return err
		}
		query = s.Query
	}
	if *save != "" {
		if _, err := ws.SaveSearch(env.Ctx, *save, query); err != nil {
			return queryErr(err)
		}
	}
	o := workspace.SearchOptions{Query: query, Limit: *limit, After: *after}
	if *relevance {
		o.Order = string(search.Relevance)
	}
	res, err := ws.Search(env.Ctx, o)
	if err != nil {
		return queryErr(err)
	}
	if *timing {
		defer func() {
			fmt.Fprintf(env.Stderr, "search: %.2f ms, cpu %.2f ms\n", float64(time.Since(start).Microseconds())/1000,
				float64((processCPU()-startCPU).Microseconds())/1000)
		}()
	}
	if *asJSON {
		return printJSON(env.Stdout, res.Hits)
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(env.Stdout, "No conversations match.")
		return nil
	}
	for _, h := range res.Hits {
		who := h.FromName
		if who == "" {
			who = h.From
		}
		if h.NoteID != "" {
			who = "(note)"
		}
		subj := h.Subject
		if subj == "" {
			subj = "(no subject)"
		}
		fmt.Fprintf(env.Stdout, "%s  %s  %s  %s\n    %s\n", when(h.Date), pad(clip(who, 22), 22), pad(clip(subj, 44), 44),
			h.ConversationID, clip(marked(h.SnippetParts), 110))
	}
	if res.Next != "" {
		fmt.Fprintf(env.Stdout, "\nMore: tidings search %q --after %s\n", query, res.Next)
	}
	return nil
}

// pad fills s with spaces to n characters.
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

// marked brackets the matched words of a snippet.
func marked(parts []search.Part) string { return search.Snippet(parts).Marked("[", "]") }

// queryErr makes a malformed query a usage error (exit 2) with its position.
func queryErr(err error) error {
	var e *search.Error
	if errors.As(err, &e) {
		return usagef("%s", e.Error())
	}
	return err
}

func printSaved(env *Env, ws *workspace.Workspace, asJSON bool) error {
	list, err := ws.SavedSearches(env.Ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(env.Stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "No saved searches.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tQUERY\tID")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Query, s.ID)
	}
	return tw.Flush()
}

// splitQueryArgs separates search's own flags from the query's words, so
// that an excluded word (tidings search invoice -paid) is not taken for a
// flag. Everything after "--" is query.
func splitQueryArgs(args []string) (flags, query []string) {
	withValue := map[string]bool{"limit": true, "after": true, "save": true, "saved": true, "delete-saved": true}
	boolean := map[string]bool{"json": true, "relevance": true, "list-saved": true, "timing": true, "h": true, "help": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(query, args[i+1:]...)
		}
		name, _, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !strings.HasPrefix(a, "-") || a == "-":
			query = append(query, a)
		case boolean[name]:
			flags = append(flags, a)
		case withValue[name]:
			flags = append(flags, a)
			if !hasVal && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			query = append(query, a)
		}
	}
	return flags, query
}
