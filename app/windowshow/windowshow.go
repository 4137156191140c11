// Package windowshow keeps the window unseen until its page has its first
// screen, so the user never sees a blank window while WebKit starts its web
// process and loads the page (issue 4: "first list painted within 300 ms of
// the window showing").
//
// Call Hold before wails.Run and Show once the page is ready (app.ShowGate
// decides when). Where the platform's StartHidden keeps a window unseen,
// Hold says to use it and Show is Wails' own WindowShow.
//
// On Linux it does not: Wails v2 (internal/frontend/desktop/linux/window.go
// Run) maps the window with gtk_widget_show_all and queues the hide for the
// main loop's idle time, so the X server shows an empty window for the first
// frames (160 ms measured under Xvfb) before it disappears. There Hold puts
// its own function in GtkWindow's class in place of map: the first top-level
// window is shown, realized and sized by GTK as usual, but not mapped (the
// X server never sees it) until Show. Every other window (menus, dialogs)
// maps as usual. The web view is allocated at the window's size, so the
// page loads and lays out at its real size, and it is mapped in GTK's eyes
// while its window is held, so WebKit counts the page visible (an unmapped
// view would be "hidden", with no requestAnimationFrame) and paints it: the
// page asks for the window once its first rows are painted
// (frontend/src/lib/show.ts). And on X11 Show draws the window off screen
// into a pixmap and makes it the X window's background just before the map,
// so the X server puts the rows on screen in the same request as the map,
// without waiting for GTK's first frame (scripts/e2e-native-show.sh checks
// the first capture after the map).
package windowshow

import (
	"context"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Hold prepares the window to open unseen. It returns true when the caller
// must set options.App.StartHidden (the platform's own hidden start is
// clean), false when Hold keeps the window unseen itself (Linux). Call it
// once, from the goroutine that calls wails.Run, before it. A window that
// opens maximised gets no X background frame: the window manager resizes
// it as it maps, and the server would tile the smaller picture.
func Hold(maximised bool) (startHidden bool) {
	return !hold(maximised)
}

// Show maps the window held by Hold, or shows it through Wails (ctx is the
// context Wails gave OnStartup). Safe from any goroutine and more than once.
func Show(ctx context.Context) {
	if !show() && ctx != nil {
		wailsruntime.WindowShow(ctx)
	}
}
