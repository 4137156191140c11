package app

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
)

// The window opens unseen (app/windowshow) and is shown once its page has
// its first screen in the DOM, so the user never sees it blank while WebKit
// starts and loads the page: the page asks at ShowPath when the first rows,
// the first-launch screen, an empty view or an error are drawn
// (frontend/src/lib/show.ts). Whatever happens to the page, ShowFallback
// after start the window is shown anyway.

// ShowPath is where the page asks for the window to be shown: a plain
// request to the asset server, answered at once (the bindings may not be
// ready yet). Its reason parameter says what the page has drawn.
const ShowPath = "/tidings/show"

// ShowFallback is how long after start the window is shown even if the
// page never asked: a page that failed to load, a web process that
// crashed, a screen that does not ask.
const ShowFallback = 2 * time.Second

// ShowGate shows the window once: when the page asks or when the fallback
// time is up, whichever comes first.
type ShowGate struct {
	show  func()
	began time.Time
	once  sync.Once
	mu    sync.Mutex
	why   string
}

// NewShowGate returns a gate that calls show (once) to show the window.
// The fallback time runs from Start.
func NewShowGate(show func()) *ShowGate {
	return &ShowGate{show: show, began: time.Now()}
}

// Start arms the fallback: the window is shown after wait even if the page
// never asks. Call it once the window exists (OnStartup).
func (g *ShowGate) Start(wait time.Duration) {
	time.AfterFunc(wait, func() { g.Show("fallback") })
}

// Show shows the window, the first time only, and logs why and when.
func (g *ShowGate) Show(reason string) {
	g.once.Do(func() {
		g.mu.Lock()
		g.why = reason
		g.mu.Unlock()
		g.show()
		slog.Info("window: shown", "reason", reason, "after_ms", time.Since(g.began).Milliseconds())
	})
}

// Reason is why the window was shown ("" while it has not been).
func (g *ShowGate) Reason() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.why
}

// Middleware answers ShowPath (204) and shows the window; every other
// request goes on. The reason is a short word from the page ("rows",
// "welcome", "screen", "error"); anything else is logged as "page".
func (g *ShowGate) Middleware() assetserver.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != ShowPath {
				next.ServeHTTP(w, r)
				return
			}
			reason := r.URL.Query().Get("reason")
			switch reason {
			case "rows", "welcome", "screen", "error":
			default:
				reason = "page"
			}
			g.Show(reason)
			w.WriteHeader(http.StatusNoContent)
		})
	}
}
