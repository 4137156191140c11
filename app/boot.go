package app

import (
	"encoding/json"
	"log/slog"
	"net/http"

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

// BootMiddleware serves the first screen at BootPath through the window's
// asset server (the same origin as the page; in the production window a
// custom scheme no other program reaches). Every other request goes on to
// the assets. A failure answers 500 and the page falls back to the bindings.
func BootMiddleware(a *Inbox) assetserver.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != BootPath {
				next.ServeHTTP(w, r)
				return
			}
			b, err := a.boot()
			if err != nil {
				slog.Error("app: first screen", "err", err)
				http.Error(w, "app: first screen: "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			if err := json.NewEncoder(w).Encode(b); err != nil {
				slog.Error("app: writing the first screen", "err", err)
			}
		})
	}
}
