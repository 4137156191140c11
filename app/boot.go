package app

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"os"
	"strconv"
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

// PaintedPath is where the page reports its first rows painted (see
// firstRowsPainted): a plain request to the asset server, answered at once,
// where a bound method would wait for the bindings to be ready.
const PaintedPath = "/tidings/painted"

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
	// Bench asks the page to run the speed benchmark's scroll once it is
	// settled (only when BenchScrollEnv is set).
	Bench *BootBench `json:"bench,omitempty"`
}

// BenchScrollEnv, set to a number of rows, makes the window scroll its
// list through that many rows after start and report the frame times
// (frontend/src/lib/benchScroll.js; scripts/bench-ui.sh sets it).
const BenchScrollEnv = "TIDINGS_BENCH_SCROLL"

// BootBench is what the benchmark asks of the page.
type BootBench struct {
	Scroll int `json:"scroll"`
}

// ScrolledPath is where the page reports the benchmark's scroll.
const ScrolledPath = "/tidings/scrolled"

// benchScroll reads BenchScrollEnv: nil when unset or not a positive number.
func benchScroll() *BootBench {
	n, err := strconv.Atoi(os.Getenv(BenchScrollEnv))
	if err != nil || n <= 0 {
		return nil
	}
	return &BootBench{Scroll: n}
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
	return Boot{View: "status:open", Limit: BootLimit, List: list, Layout: layout, Bench: benchScroll()}, nil
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
	var trace *cpuTrace
	if os.Getenv(CPUTraceEnv) != "" {
		trace = startCPUTrace()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == PaintedPath {
				paintedHandler(a, trace, w, r)
				return
			}
			if r.URL.Path == ScrolledPath {
				scrolledHandler(w, r)
				return
			}
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

// paintedHandler takes the page's report: ms and the steps as query
// parameters (numbers), answered 204; a report without a number ms is 400.
func paintedHandler(a *Inbox, trace *cpuTrace, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ms, err := strconv.ParseFloat(q.Get("ms"), 64)
	if err != nil {
		http.Error(w, "app: first rows painted: ms: "+err.Error(), http.StatusBadRequest)
		return
	}
	steps := map[string]float64{}
	for k := range q {
		if v, err := strconv.ParseFloat(q.Get(k), 64); err == nil && k != "ms" {
			steps[k] = v
		}
	}
	a.firstRowsPainted(ms, steps, trace)
	w.WriteHeader(http.StatusNoContent)
}

// scrolledHandler logs the benchmark's scroll as the page measured it:
// rows reached, conversations loaded, seconds, frames, frames over 20 ms,
// p95 and longest frame (ms), the long frames that came as a page of
// conversations arrived (long_page) and the pages loaded, rows in the DOM,
// and the same figures for the control (ctl_*), a static list scrolled the
// same way; then the CPU time each scroll took (scrollMarks). Answered 204;
// a report without a number of frames is 400. A request with "mark" only
// marks a moment: before the app's scroll, between the two, after the
// control's.
func scrolledHandler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Has("mark") {
		scrollMarks.mark()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if _, err := strconv.ParseFloat(q.Get("frames"), 64); err != nil {
		http.Error(w, "app: scroll report: frames: "+err.Error(), http.StatusBadRequest)
		return
	}
	var args []any
	for _, k := range []string{"rows", "loaded", "seconds", "frames", "long", "p95", "max", "long_page", "pages", "dom", "ctl_frames", "ctl_long", "ctl_p95", "ctl_max"} {
		if v, err := strconv.ParseFloat(q.Get(k), 64); err == nil {
			args = append(args, k, strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64))
		}
	}
	args = append(args, scrollMarks.cpu()...)
	slog.Info("window: scrolled", args...)
	w.WriteHeader(http.StatusNoContent)
}

// firstRowsPainted is told by the page how long after its navigation
// started the first rows were painted, and when the steps before it
// happened, in ms since navigation: "html" the page arrived, "parsed" its
// HTML parsed, "boot" the first page answered, "script" the app's script
// started, "data" the page in hand, "dom" the rows handed to Svelte,
// "built" the rows in the DOM, "frame" the frame that paints them began,
// "shown" the page became visible (its web view mapped, before the window
// maps: app/windowshow); "origin" is the
// navigation's start in ms since the Unix epoch. It is logged with the CPU
// time the web process (main thread / all threads) and this process had
// used by then, so the speed benchmark reads the real window's figures
// (scripts/bench-ui.sh).
func (a *Inbox) firstRowsPainted(ms float64, steps map[string]float64, trace *cpuTrace) {
	now := time.Now()
	args := []any{"ms", int(ms + 0.5)}
	for _, k := range []string{"html", "parsed", "boot", "script", "data", "dom", "built", "shell", "frame", "shown"} {
		if v, ok := steps[k]; ok {
			args = append(args, k, int(v+0.5))
		}
	}
	var painted time.Time
	if o, ok := steps["origin"]; ok && o > 0 {
		painted = time.UnixMicro(int64((o + ms) * 1000))
		// When the rows were painted (ms since the Unix epoch, for the
		// benchmark to set against the window's mapping), and how long
		// after that this report arrived.
		args = append(args, "at", painted.UnixMilli(), "late", int(now.Sub(painted).Milliseconds()))
	}
	// The web process's CPU time when the rows were painted (from the
	// trace), else when the report arrived.
	traced := false
	if trace != nil {
		if main, all, ok := trace.at(painted); ok {
			args = append(args, "web_cpu", int(main+0.5), "web_cpu_all", int(all+0.5))
			traced = true
		}
	}
	if pid := childNamed("WebKitWebProces"); !traced && pid > 0 {
		if main, all, ok := threadCPUms(pid); ok {
			args = append(args, "web_cpu_late", int(main+0.5), "web_cpu_all_late", int(all+0.5))
		}
	}
	if _, all, ok := threadCPUms(os.Getpid()); ok {
		args = append(args, "go_cpu", int(all+0.5))
	}
	slog.Info("window: first rows painted", args...)
}
