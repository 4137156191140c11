package app

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"tidings/backend/workspace"
)

// BootPath is where the window's page finds its first screen of data. The
// page asks for it from an inline script in index.html, while its own
// script is still loading and before the bindings are ready, so the first
// rows are drawn without waiting for either (frontend/src/lib/boot.ts).
const BootPath = "/tidings/boot.json"

// BootLimit is how many rows the first page holds: a tall screen of 72 px
// rows plus the list's overscan. The rest follows a page at a time.
const BootLimit = 50

// Boot is the first screen: the rows of the view the window opens on, and
// the saved pane layout (so the panes do not move once drawn).
type Boot struct {
	// View is the view the rows belong to, as the frontend keys it.
	View   string                       `json:"view"`
	Limit  int                          `json:"limit"`
	List   []workspace.ConversationView `json:"list"`
	Layout string                       `json:"layout"`
}

// boot gathers the first screen: the open conversations, newest first.
func (a *Inbox) boot() (Boot, error) {
	list, err := a.ws.Conversations(a.ctx, workspace.ListOptions{Status: "open", Limit: BootLimit})
	if err != nil {
		return Boot{}, err
	}
	layout, err := a.Preference("layout")
	if err != nil {
		return Boot{}, err
	}
	return Boot{View: "status:open", Limit: BootLimit, List: list, Layout: layout}, nil
}

// bootReuse is how long one answer serves again: the page's preload and
// its fetch are two requests where WebKitGTK does not match them.
const bootReuse = 2 * time.Second

// BootMiddleware serves the first screen at BootPath through the window's
// asset server (the same origin as the page; in the production window a
// custom scheme no other program reaches). Every other request goes on to
// the assets. A failure answers 500 and the page falls back to the bindings.
func BootMiddleware(a *Inbox) assetserver.Middleware {
	var mu sync.Mutex
	var last []byte
	var at time.Time
	answer := func() ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		if last != nil && time.Since(at) < bootReuse {
			return last, nil
		}
		b, err := a.boot()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(b); err != nil {
			return nil, err
		}
		last, at = buf.Bytes(), time.Now()
		return last, nil
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != BootPath {
				next.ServeHTTP(w, r)
				return
			}
			body, err := answer()
			if err != nil {
				slog.Error("app: first screen", "err", err)
				http.Error(w, "app: first screen: "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(body)
		})
	}
}

// FirstRowsPainted is told by the page how long after its navigation
// started the first rows were painted, and when the steps before it
// happened (ms since navigation: "boot" the first page answered, "script"
// the app's script started, "data" the page in hand, "dom" the rows in
// the DOM). It is logged, so the speed benchmark reads the real window's
// figures (scripts/bench-ui.sh).
func (a *Inbox) FirstRowsPainted(ms float64, steps map[string]float64) {
	args := []any{"ms", int(ms + 0.5)}
	for _, k := range []string{"boot", "script", "data", "dom"} {
		if v, ok := steps[k]; ok {
			args = append(args, k, int(v+0.5))
		}
	}
	slog.Info("window: first rows painted", args...)
}
