package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"tidings/backend/channels"
	"tidings/backend/channels/telegram"
	"tidings/backend/inbox"
)

func init() {
	accountAdders["telegram"] = runAccountAddTelegram
}

// secretStore opens the store that keeps account secrets (the OS keyring or
// a private file); tests replace it.
var secretStore = func(env *Env) (channels.Secrets, error) { return openSecrets(env), nil }

// runAccountAddTelegram connects a Telegram bot:
//
//	tidings account add telegram --name NAME --token-stdin [--api-url URL] [--json]
func runAccountAddTelegram(env *Env, args []string) error {
	fs := newFlags("account")
	name := fs.String("name", "", "a name for the account, e.g. \"Shop bot\"")
	tokenStdin := fs.Bool("token-stdin", false, "read the bot token from @BotFather on the first line of standard input")
	apiURL := fs.String("api-url", "", "Bot API server (default https://api.telegram.org; a local Bot API server)")
	asJSON := fs.Bool("json", false, "print the new account as JSON")
	if _, err := parse(env, fs, args, 0, 0); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("account add telegram: --name is required")
	}
	if !*tokenStdin {
		return usagef("account add telegram: pass the bot token on standard input with --token-stdin (never on the command line)")
	}
	token, err := readPasswordLine(env.Stdin)
	if err != nil {
		return err
	}
	token = strings.TrimSpace(token)
	secrets, err := secretStore(env)
	if err != nil {
		return fmt.Errorf("account add telegram: %w", err)
	}
	ws, err := env.Workspace()
	if err != nil {
		return err
	}
	if _, err := ws.Store.AccountByName(env.Ctx, *name); err == nil {
		return fmt.Errorf("account add telegram: an account named %q already exists: %w", *name, inbox.ErrConflict)
	}
	conn := telegram.New(telegram.Options{Token: token, BaseURL: *apiURL})
	if err := conn.Connect(env.Ctx); err != nil {
		return fmt.Errorf("account add telegram: %s", channels.Describe(err))
	}
	botID, username := conn.Bot()
	cfg, _ := json.Marshal(telegram.Config{BotID: botID, BotUsername: username, APIURL: *apiURL})
	acct := inbox.Account{Channel: inbox.ChannelTelegram, Name: *name, Address: "@" + username, Config: cfg}
	if err := ws.Store.CreateAccount(env.Ctx, &acct); err != nil {
		return err
	}
	if err := secrets.Set(telegram.TokenKey(acct.ID), token); err != nil {
		if derr := ws.Store.DeleteAccount(env.Ctx, acct.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return fmt.Errorf("account add telegram: keeping the token: %w", err)
	}
	if *asJSON {
		return printJSON(env.Stdout, map[string]any{"id": acct.ID, "name": acct.Name, "channel": acct.Channel, "address": acct.Address,
			"settings": map[string]any{"bot_id": botID, "bot_username": username}})
	}
	fmt.Fprintf(env.Stdout, "Connected Telegram bot @%s as %q. Customers reach you at https://t.me/%s; run 'tidings sync --once' to fetch messages.\n",
		username, acct.Name, username)
	return nil
}
