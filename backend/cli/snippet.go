package cli

import (
	"fmt"
	"os"

	"tidings/backend/snippet"
)

func init() {
	register(&Command{
		Name:    "snippet",
		Args:    "[--telegram BOT] [--email ADDR] [--whatsapp +NUMBER] [--messenger PAGE] [--title TEXT] [--color #RRGGBB] [--preview FILE] [--json]",
		Summary: "Print the \"contact us\" HTML block for your website (buttons to your Telegram bot, email, ...); defaults come from your accounts.",
		Run:     runSnippet,
	})
}

func runSnippet(env *Env, args []string) error {
	fs := newFlags("snippet")
	var o snippet.Options
	fs.StringVar(&o.Telegram, "telegram", "", "Telegram bot username (default: your first bot)")
	fs.StringVar(&o.TelegramStart, "start", "", "deep-link parameter the bot receives, e.g. website")
	fs.StringVar(&o.Email, "email", "", "email address (default: your first mailbox)")
	fs.StringVar(&o.EmailSubject, "subject", "", "subject prefilled in the email")
	fs.StringVar(&o.WhatsApp, "whatsapp", "", "WhatsApp number in international form")
	fs.StringVar(&o.Messenger, "messenger", "", "Facebook page username")
	fs.StringVar(&o.Title, "title", "", "heading of the block")
	fs.StringVar(&o.Color, "color", "", "buttons' colour, #rgb or #rrggbb")
	preview := fs.String("preview", "", "also write a page previewing the block to FILE")
	asJSON := fs.Bool("json", false, "print the HTML, preview and links as JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	accts, err := ws.Store.Accounts(env.Ctx)
	if err != nil {
		return err
	}
	d := snippet.Defaults(accts)
	if o.Telegram == "" && o.Email == "" && o.WhatsApp == "" && o.Messenger == "" {
		o.Telegram, o.Email = d.Telegram, d.Email
	}
	s, err := snippet.Generate(o)
	if err != nil {
		return usagef("%v", err)
	}
	if *preview != "" {
		if err := os.WriteFile(*preview, []byte(s.Preview), 0o644); err != nil {
			return fmt.Errorf("snippet: %w", err)
		}
	}
	if *asJSON {
		return printJSON(env.Stdout, s)
	}
	_, err = fmt.Fprint(env.Stdout, s.HTML)
	return err
}
