// Command tidings is one inbox for every conversation a small business has
// with its customers. With no command it opens the window; with a command it
// runs headless on the same services. main only wires.
package main

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"tidings/app"
	"tidings/app/webkitenv"
	"tidings/app/windowshow"
	"tidings/backend/cli"
	"tidings/backend/secrets"
	"tidings/backend/workspace"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	args := os.Args[1:]
	if !cli.IsCommand(args) {
		// No command, or the window's own flags (-devserver, -assetdir in
		// dev builds): open the window on the default data directory.
		args = nil
	}
	code := cli.Run(ctx, args, os.Stdin, os.Stdout, os.Stderr, func(dir string) error {
		return openWindow(ctx, dir)
	})
	stop()
	os.Exit(code)
}

// wailsEmitter sends events through the Wails runtime once the window runs.
type wailsEmitter struct{ ctx context.Context }

func (e *wailsEmitter) Emit(name string, data ...any) {
	if e.ctx != nil {
		wailsruntime.EventsEmit(e.ctx, name, data...)
	}
}

func openWindow(ctx context.Context, dir string) error {
	gl := webkitenv.Apply() // before GTK starts: no OpenGL in this process (its doc says why)
	ws, err := workspace.OpenWith(ctx, dir, app.WindowStoreOptions())
	if err != nil {
		return err
	}
	defer ws.Close()
	emitter := &wailsEmitter{}
	inbox := app.New(ws, emitter)
	archive := app.NewArchive(inbox, app.WailsShell{}) // export, import, backup, restore; the File menu
	sec := secrets.Open(ws.Dir, nil)
	chans := app.NewChannels(ws, emitter, sec)
	email := app.NewEmail(ws, emitter, sec, nil)               // account form, replies, outbox, origins
	mail := app.NewMail(ws, emitter, sec, nil)                 // sync loops (IDLE), status bar, retry
	accounts := app.NewAccounts(ws, emitter, sec, mail, chans) // settings: rename, remove
	notifier := app.NewNotifier(ws, emitter, nil)              // desktop notifications of new customer messages
	// The sync loops and the notifier stop while a restore replaces the store.
	archive.Syncers = []app.Syncer{mail, chans, notifier}
	email.OnAccountAdded = func(id string) {
		if err := mail.SyncNow(id); err != nil {
			slog.Error("window: starting sync for a new account", "account", id, "err", err)
		}
	}
	geometry := app.LoadWindowGeometry(ctx, ws.Store) // as the user left it
	// Unseen until the page has its first screen (app/window_show.go).
	startHidden := windowshow.Hold(geometry.Maximised)
	gate := app.NewShowGate(func() { windowshow.Show(emitter.ctx) })
	startState := options.Normal
	if geometry.Maximised {
		startState = options.Maximised
	}
	err = wails.Run(&options.App{
		Title:            "Tidings",
		Width:            geometry.Width,
		Height:           geometry.Height,
		MinWidth:         app.MinWindowWidth,
		MinHeight:        app.MinWindowHeight,
		WindowStartState: startState,
		StartHidden:      startHidden,
		AssetServer: &assetserver.Options{
			Assets: assets,
			// The first screen, before the bindings; the page's "show me".
			Middleware: assetserver.ChainMiddleware(app.BootMiddleware(inbox), gate.Middleware()),
		},
		OnStartup: func(c context.Context) {
			emitter.ctx = c
			gate.Start(app.ShowFallback)
			inbox.Startup(c)
			chans.Startup(c)
			app.SetBrowserOpener(func(u string) error { wailsruntime.BrowserOpenURL(c, u); return nil })
			// Mail runs the email sync loops; Email's own (email.Startup)
			// would sync every account a second time.
			mail.Startup(c)
			accounts.Startup(c)
			notifier.OnOpen = func() { wailsruntime.WindowUnminimise(c); wailsruntime.WindowShow(c) }
			notifier.Startup(c)
			app.StartIndexUpkeep(c, ws, 0)
		},
		OnBeforeClose: func(c context.Context) bool {
			w, h := wailsruntime.WindowGetSize(c)
			g := app.WindowGeometry{Width: w, Height: h, Maximised: wailsruntime.WindowIsMaximised(c)}
			if err := app.SaveWindowGeometry(ctx, ws.Store, g); err != nil {
				slog.Error("window: remembering its size", "err", err)
			}
			return false // close
		},
		OnDomReady: func(context.Context) { webkitenv.Restore(gl) }, // a browser opened later gets the user's environment
		OnShutdown: func(context.Context) { chans.Shutdown(); mail.Shutdown(); email.Shutdown(); notifier.Shutdown() },
		Bind:       []any{inbox, chans, email, mail, accounts, notifier, archive},
		Menu:       app.Menu(archive),
		// Files dropped on the window arrive as paths (FileDrops.svelte):
		// attached by Go on the composer, imported elsewhere.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true},
	})
	if err != nil {
		return fmt.Errorf("window: %w", err)
	}
	return nil
}
