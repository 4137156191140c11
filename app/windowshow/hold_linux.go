//go:build linux && cgo

package windowshow

/*
#cgo pkg-config: gtk+-3.0 x11 cairo-xlib
#include <gtk/gtk.h>
#include <gdk/gdkx.h>
#include <cairo-xlib.h>

// All of this runs on GTK's main thread: map inside gtk_widget_show_all,
// the release in an idle callback.
static void (*window_map)(GtkWidget *); // GtkWindow's own map
static GtkWidget *held;                 // the main window, until released
static gboolean released;               // Show was asked: map as usual
static gboolean no_preview;             // the window opens maximised

// held_map stands in for GtkWindow's map: the first top-level window stays
// unmapped (shown, realized and sized by GTK, but not on screen) until
// released; every other window maps as usual.
static void held_map(GtkWidget *w) {
	if (!released && gtk_window_get_window_type(GTK_WINDOW(w)) == GTK_WINDOW_TOPLEVEL) {
		if (held == NULL) {
			held = w;
			g_object_ref(held);
		}
		if (w == held) {
			// Mapped in GTK's eyes, with its content, but not on screen.
			gtk_widget_set_mapped(w, TRUE);
			GtkWidget *child = gtk_bin_get_child(GTK_BIN(w));
			if (child != NULL && gtk_widget_get_visible(child) && !gtk_widget_get_mapped(child))
				gtk_widget_map(child);
			return;
		}
	}
	window_map(w);
}

static void windowshow_hold(gboolean maximised) {
	no_preview = maximised;
	// The class is kept (never unreferenced); creating it needs no display.
	GtkWidgetClass *cls = GTK_WIDGET_CLASS(g_type_class_ref(GTK_TYPE_WINDOW));
	window_map = cls->map;
	cls->map = held_map;
}

// On X11 the window's first frame is put on screen by the X server itself:
// its content, drawn off screen just before the map, is the X window's
// background, which the server paints the moment it maps the window. GTK
// draws over it as usual once the window's first expose comes back; from
// then on the window has no background again (as GTK sets it).
static Pixmap preview;

static gboolean drop_preview(GtkWidget *w, cairo_t *cr, gpointer data) {
	GdkWindow *gw = gtk_widget_get_window(w);
	g_signal_handlers_disconnect_by_func(w, drop_preview, data);
	if (preview != 0 && gw != NULL) {
		Display *dpy = GDK_WINDOW_XDISPLAY(gw);
		XSetWindowBackgroundPixmap(dpy, GDK_WINDOW_XID(gw), None);
		XFreePixmap(dpy, preview);
		preview = 0;
	}
	return FALSE;
}

static void paint_preview(GtkWidget *w) {
	GdkWindow *gw = gtk_widget_get_window(w);
	if (gw == NULL || !GDK_IS_X11_WINDOW(gw)) return;
	// A size change queued since the window was shown (its title, its
	// place) is settled first, as the map would.
	gtk_container_check_resize(GTK_CONTAINER(w));
	if (gtk_widget_get_allocated_width(w) <= 1) return;
	int width = gdk_window_get_width(gw), height = gdk_window_get_height(gw);
	if (width <= 0 || height <= 0) return;
	Display *dpy = GDK_WINDOW_XDISPLAY(gw);
	GdkVisual *visual = gdk_window_get_visual(gw);
	Pixmap pm = XCreatePixmap(dpy, GDK_WINDOW_XID(gw), width, height, gdk_visual_get_depth(visual));
	cairo_surface_t *surface = cairo_xlib_surface_create(dpy, pm, GDK_VISUAL_XVISUAL(visual), width, height);
	cairo_t *cr = cairo_create(surface);
	gtk_widget_draw(w, cr);
	cairo_destroy(cr);
	cairo_surface_flush(surface);
	cairo_surface_destroy(surface);
	XSetWindowBackgroundPixmap(dpy, GDK_WINDOW_XID(gw), pm);
	preview = pm;
	g_signal_connect_after(w, "draw", G_CALLBACK(drop_preview), NULL);
}

static gboolean windowshow_show_idle(gpointer data) {
	released = TRUE;
	if (held != NULL) {
		if (!no_preview && gtk_widget_get_visible(held)) paint_preview(held);
		if (gtk_widget_get_visible(held)) {
			// Map it for real: GtkWindow's map shows it on screen.
			gtk_widget_set_mapped(held, FALSE);
			gtk_widget_map(held);
		} else {
			gtk_widget_show(held);
		}
		g_object_unref(held);
		held = NULL;
	}
	return G_SOURCE_REMOVE;
}

static void windowshow_show(void) {
	// Ahead of the redraws and WebKit's own work waiting on the main loop.
	g_idle_add_full(G_PRIORITY_HIGH, windowshow_show_idle, NULL, NULL);
}
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
)

var held atomic.Bool

func hold(maximised bool) bool {
	// GTK must be called from one thread: the one that calls wails.Run
	// (Wails locks it too; this makes sure the hook's class is created on it).
	runtime.LockOSThread()
	m := C.gboolean(0)
	if maximised {
		m = 1
	}
	C.windowshow_hold(m)
	held.Store(true)
	return true
}

var shown sync.Once

// show maps the held window the first time; later calls (a window hidden
// since, shown again) go to Wails.
func show() bool {
	if !held.Load() {
		return false
	}
	first := false
	shown.Do(func() {
		first = true
		C.windowshow_show()
	})
	return first
}
