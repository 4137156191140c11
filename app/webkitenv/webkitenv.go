// Package webkitenv keeps OpenGL out of the window's own process on Linux.
//
// The window's web view renders without hardware acceleration: Wails sets
// WebKitGTK's hardware acceleration policy to "never" when options.Linux is
// nil, as in main.go, so the web process paints with the CPU and hands the
// UI process plain bitmaps in shared memory. Yet with its defaults the UI
// process (the Go process) still opens OpenGL three times: GDK probes GLX
// for visuals when it opens the X display, WebKit opens an EGL display to
// learn the DRM render node it passes to the web process, and again to test
// whether DMA-BUF buffers can be shared. Each one loads Mesa's driver, and
// Mesa's Gallium driver links LLVM: 43 MB of libLLVM and 6 MB of
// swrast_dri.so resident, plus ~10 MB of the driver's heap, for nothing the
// window draws (scripts/bench-ui.sh measures the split; gdb's
// "catch load swrast_dri" shows the three callers).
//
// Apply turns the three probes off before GTK starts:
//
//	GDK_GL=disable                    GDK gives no GL context (GTK3 draws with cairo)
//	WEBKIT_DISABLE_DMABUF_RENDERER=1  no DMA-BUF transport (only used with acceleration)
//	WEBKIT_WEB_RENDER_DEVICE_FILE     the render node, found in /dev/dri instead of via EGL
//
// A variable the user has set, even to an empty value, is left as it is, so
// WebKit's defaults come back with e.g. WEBKIT_DISABLE_DMABUF_RENDERER=0
// GDK_GL= WEBKIT_WEB_RENDER_DEVICE_FILE= (the benchmark's control run).
// If the window ever turns hardware acceleration on, this must go.
package webkitenv

import (
	"os"
	"path/filepath"
	"sort"
)

// NoRenderNode is the render node named when the machine has none (no GPU,
// or a virtual display): a path that does not exist, so WebKit skips its
// EGL lookup and the web process, which draws with the CPU, opens nothing.
const NoRenderNode = "/dev/dri/renderD128"

// Setting is one environment variable Apply may set.
type Setting struct {
	Name, Value string
}

// Settings returns what Apply sets, with the render node found under dir
// (normally /dev/dri).
func Settings(dir string) []Setting {
	return []Setting{
		{"GDK_GL", "disable"},
		{"WEBKIT_DISABLE_DMABUF_RENDERER", "1"},
		{"WEBKIT_WEB_RENDER_DEVICE_FILE", renderNode(dir)},
	}
}

// renderNode is the first DRM render node under dir (what WebKit's EGL
// lookup finds on a one-GPU machine), or NoRenderNode.
func renderNode(dir string) string {
	nodes, _ := filepath.Glob(filepath.Join(dir, "renderD*"))
	if len(nodes) == 0 {
		return NoRenderNode
	}
	sort.Strings(nodes)
	return nodes[0]
}

// Apply sets each variable of Settings("/dev/dri") that is not already in
// the environment, and returns the ones it set. Call it before the window
// starts GTK (wails.Run); the web process inherits the same environment.
func Apply() []Setting {
	var set []Setting
	for _, s := range Settings("/dev/dri") {
		if _, ok := os.LookupEnv(s.Name); ok {
			continue
		}
		if err := os.Setenv(s.Name, s.Value); err == nil {
			set = append(set, s)
		}
	}
	return set
}

// Restore takes out of the environment what Apply set, once GTK and WebKit
// have read it (they read each variable once, at start and when the first
// web process is launched): programs the window starts later, such as the
// browser a link opens in, get the user's environment, not these settings.
func Restore(set []Setting) {
	for _, s := range set {
		if os.Getenv(s.Name) == s.Value {
			os.Unsetenv(s.Name)
		}
	}
}
