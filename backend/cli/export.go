package cli

import (
	"errors"
	"fmt"
	"strings"

	"tidings/backend/export"
	"tidings/backend/syncer"
	"tidings/backend/workspace"
)

func init() {
	register(&Command{
		Name:    "export",
		Args:    "--format mbox|eml|json|csv|html|pdf [--query Q] [--conversation ID]... [--contact ID] --out PATH [--no-download]",
		Summary: "Export conversations in an open format.",
		Run:     runExport,
	})
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func runExport(env *Env, args []string) error {
	fs := newFlags("export")
	format := fs.String("format", "", "mbox, eml, json, csv, html or pdf")
	query := fs.String("query", "", "export the conversations this search finds")
	var convs listFlag
	fs.Var(&convs, "conversation", "export this conversation (repeatable, or comma separated)")
	contact := fs.String("contact", "", "export everything held on this contact")
	status := fs.String("status", "", "export the conversations with this status")
	label := fs.String("label", "", "export the conversations with this label")
	out := fs.String("out", "", "file to write (for HTML of several conversations: a new folder)")
	attachments := fs.String("attachments", "files", "JSON only: files (a folder beside the JSON) or base64 (inside it)")
	noBOM := fs.Bool("no-bom", false, "CSV only: leave out the UTF-8 byte order mark Excel needs")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	noDownload := fs.Bool("no-download", false, "do not download messages stored incomplete first; export them as stored, each named in a warning")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if *format == "" {
		return usagef("export: --format is required (mbox, eml, json, csv, html or pdf)")
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return usagef("%v", err)
	}
	if *out == "" {
		return usagef("export: --out PATH is required")
	}
	picked := 0
	for _, set := range []bool{len(convs) > 0, *contact != "", *query != "" || *status != "" || *label != ""} {
		if set {
			picked++
		}
	}
	if picked > 1 {
		return usagef("export: choose one of --conversation, --contact, or --query/--status/--label")
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	ids, err := ws.SelectConversations(env.Ctx, workspace.Selection{ConversationIDs: convs, ContactID: *contact, Query: *query, Status: *status, Label: *label})
	if err != nil {
		return err
	}
	if ids == nil && picked > 0 {
		ids = []string{}
	}
	progress, clear := progressLine(env, "exporting", "messages")
	downloads, clearDownloads := progressLine(env, "downloading", "incomplete messages")
	o := export.Options{Format: f, ConversationIDs: ids, Out: *out, Attachments: export.AttachmentMode(*attachments),
		NoBOM: *noBOM, Progress: progress, Generator: "Tidings " + Version, DownloadProgress: downloads}
	if !*noDownload {
		opts := syncOptions(env)
		opts.Secrets = openSecrets(env)
		o.Complete = syncer.New(ws.Store, opts).FetchOriginals
	}
	res, err := export.Export(env.Ctx, ws.Store, o)
	clearDownloads()
	clear()
	if errors.Is(err, export.ErrEmpty) {
		return fmt.Errorf("export: the selection holds no conversation, nothing written")
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(env.Stderr, "tidings: warning: "+w)
	}
	if *asJSON {
		return printJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "Exported %d messages from %d conversations as %s to %s (%s).\n", res.Messages, res.Conversations, res.Format, res.Path, humanBytes(res.Bytes))
	return nil
}
