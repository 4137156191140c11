// Command mapwatch tells when a top-level X window is mapped and unmapped,
// as the X server sees it, and what the window shows from that moment on.
// The window benchmark and the native test use it (scripts/bench-ui.sh,
// scripts/e2e-native.sh): "first rows painted within 300 ms of the window
// showing" is timed from the map itself, not from a poll that looks every
// few milliseconds, and a screenshot series from the map proves the window
// never showed a blank page.
//
//	mapwatch -name '^Tidings$' [-for 2s] [-shots N [-colours C]] [-png DIR]
//
// It selects SubstructureNotify on the root window (no window manager, as
// under Xvfb: top-level windows are the root's children) and prints one
// line per event, times in ms since the Unix epoch:
//
//	mapped AT WID          a window whose name matches was mapped
//	unmapped AT WID        ... and unmapped
//	shot AT COLOURS WxH DONE  a capture of the window right after the map:
//	                          asked for at AT, its pixels back at DONE (the
//	                          server read them in between)
//
// With -shots N it captures the window up to N times in a row after each
// map (XGetImage, as fast as the server answers), each line with the number
// of distinct colours, stopping early at a capture with at least -colours;
// -png DIR keeps them as DIR/shot-K.png. It stops after
// the first map plus -for, or when the window is destroyed. Build:
//
//	go build -o build/bin/mapwatch ./scripts/mapwatch
package main

/*
#cgo pkg-config: x11
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

static int mw_type(XEvent *e) { return e->type; }
static Window mw_window(XEvent *e) {
	switch (e->type) {
	case MapNotify: return e->xmap.window;
	case UnmapNotify: return e->xunmap.window;
	case DestroyNotify: return e->xdestroywindow.window;
	}
	return 0;
}
static int mw_ignore(Display *d, XErrorEvent *e) { return 0; }
static void mw_quiet(void) { XSetErrorHandler(mw_ignore); }
// mw_name is the window's WM_NAME (or NULL); free with XFree.
static char *mw_name(Display *d, Window w) {
	char *name = NULL;
	if (!XFetchName(d, w, &name)) return NULL;
	return name;
}
// mw_grab copies the window's pixels as 0xRRGGBB words into out (w*h),
// returning 0 when the window cannot be read.
static int mw_grab(Display *d, Window win, unsigned int *out, int *w, int *h) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, win, &a) || a.map_state != IsViewable) return 0;
	XImage *img = XGetImage(d, win, 0, 0, a.width, a.height, AllPlanes, ZPixmap);
	if (!img) return 0;
	int n = 0;
	for (int y = 0; y < a.height; y++) {
		if (img->bits_per_pixel == 32) {
			unsigned int *row = (unsigned int *)(img->data + y * img->bytes_per_line);
			for (int x = 0; x < a.width; x++) out[n++] = row[x] & 0xffffff;
		} else {
			for (int x = 0; x < a.width; x++) out[n++] = XGetPixel(img, x, y) & 0xffffff;
		}
	}
	*w = a.width;
	*h = a.height;
	XDestroyImage(img);
	return 1;
}
static int mw_size(Display *d, Window win, int *w, int *h) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, win, &a)) return 0;
	*w = a.width;
	*h = a.height;
	return 1;
}
*/
import "C"

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"time"
	"unsafe"
)

func main() {
	name := flag.String("name", "", "regular expression the window's name must match")
	wait := flag.Duration("for", 2*time.Second, "how long to keep watching after the first map")
	shots := flag.Int("shots", 0, "captures of the window right after each map (at most)")
	enough := flag.Int("colours", 0, "stop capturing once a capture has this many colours (0: take them all)")
	pngDir := flag.String("png", "", "directory to keep the captures in (shot-K.png)")
	flag.Parse()
	re, err := regexp.Compile(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mapwatch: -name:", err)
		os.Exit(2)
	}
	if err := run(re, *wait, *shots, *enough, *pngDir); err != nil {
		fmt.Fprintln(os.Stderr, "mapwatch:", err)
		os.Exit(1)
	}
}

func nowMs() int64 { return time.Now().UnixMilli() }

func run(re *regexp.Regexp, wait time.Duration, shots, enough int, pngDir string) error {
	// A loaded X server sometimes refuses a connection: ask again.
	var d *C.Display
	for try := 0; d == nil && try < 10; try++ {
		if try > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		d = C.XOpenDisplay(nil)
	}
	if d == nil {
		return fmt.Errorf("cannot open the X display %q", os.Getenv("DISPLAY"))
	}
	defer C.XCloseDisplay(d)
	C.mw_quiet() // a window may vanish between the event and our look at it
	root := C.XDefaultRootWindow(d)
	C.XSelectInput(d, root, C.SubstructureNotifyMask)
	C.XSync(d, 0)
	fmt.Println("ready")
	var watched C.Window
	var deadline time.Time
	var ev C.XEvent
	// GTK names its window from the main loop, after it may have been mapped
	// (and unmapped) already: every top-level window's events are kept and
	// printed once its name matches.
	type event struct {
		kind string
		at   int64
	}
	history := map[C.Window][]event{}
	k := 0
	watch := func(w C.Window) {
		if watched != 0 || w == 0 || !matches(d, w, re) {
			return
		}
		watched = w
		deadline = time.Now().Add(wait)
		for _, e := range history[w] {
			fmt.Printf("%s %d %d\n", e.kind, e.at, w)
		}
	}
	for {
		if C.XPending(d) == 0 {
			if !deadline.IsZero() && time.Now().After(deadline) {
				return nil
			}
			for w := range history {
				watch(w) // a window named since its events
			}
			time.Sleep(2 * time.Millisecond)
			continue
		}
		C.XNextEvent(d, &ev)
		at := nowMs()
		w := C.mw_window(&ev)
		kind := ""
		switch C.mw_type(&ev) {
		case C.MapNotify:
			kind = "mapped"
		case C.UnmapNotify:
			kind = "unmapped"
		case C.DestroyNotify:
			if w != 0 && w == watched {
				return nil
			}
			delete(history, w)
			continue
		default:
			continue
		}
		if watched == 0 {
			if h := history[w]; len(h) > 0 && h[len(h)-1].kind == kind {
				continue // the same unmap twice (the window's and ICCCM's synthetic one)
			}
			history[w] = append(history[w], event{kind, at})
			watch(w)
			if w == watched && kind == "mapped" {
				k = captures(d, w, k, shots, enough, pngDir)
			}
			continue
		}
		if w != watched {
			continue
		}
		fmt.Printf("%s %d %d\n", kind, at, w)
		if kind == "mapped" {
			k = captures(d, w, k, shots, enough, pngDir)
		}
	}
}

func matches(d *C.Display, w C.Window, re *regexp.Regexp) bool {
	p := C.mw_name(d, w)
	if p == nil {
		return re.MatchString("")
	}
	defer C.XFree(unsafe.Pointer(p))
	return re.MatchString(C.GoString(p))
}

// captures takes up to n captures of w, numbered from k+1, stopping at the
// first with at least enough colours (enough > 0); it returns the last number.
func captures(d *C.Display, w C.Window, k, n, enough int, dir string) int {
	for i := 0; i < n; i++ {
		k++
		if c := capture(d, w, k, dir); enough > 0 && c >= enough {
			break
		}
	}
	return k
}

// capture reads the window's pixels once and prints when, how many distinct
// colours, and the size; with dir set it keeps them as dir/shot-K.png.
func capture(d *C.Display, w C.Window, k int, dir string) (colours int) {
	var cw, ch C.int
	if C.mw_size(d, w, &cw, &ch) == 0 || cw <= 0 || ch <= 0 {
		return 0
	}
	px := make([]C.uint, int(cw)*int(ch))
	asked := nowMs()
	if C.mw_grab(d, w, &px[0], &cw, &ch) == 0 {
		return 0
	}
	done := nowMs()
	seen := make([]uint64, 1<<24/64)
	for _, p := range px {
		v := uint32(p)
		if seen[v>>6]&(1<<(v&63)) == 0 {
			seen[v>>6] |= 1 << (v & 63)
			colours++
		}
	}
	fmt.Printf("shot %d %d %dx%d %d\n", asked, colours, cw, ch, done)
	if dir == "" {
		return colours
	}
	img := image.NewRGBA(image.Rect(0, 0, int(cw), int(ch)))
	for i, p := range px {
		v := uint32(p)
		img.Set(i%int(cw), i/int(cw), color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255})
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("shot-%d.png", k)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mapwatch:", err)
		return colours
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		fmt.Fprintln(os.Stderr, "mapwatch:", err)
	}
	return colours
}
