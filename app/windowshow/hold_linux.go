//go:build linux && cgo

package windowshow

/*
#cgo pkg-config: gtk+-3.0
#include <gtk/gtk.h>

// All of this runs on GTK's main thread: the hook inside show_all, the show
// in an idle callback.
static GtkWidget *held;   // the window the hook hid, until shown
static gboolean released; // Show came first: the hook lets the map through

static gboolean on_map(GSignalInvocationHint *hint, guint n, const GValue *params, gpointer data) {
	GObject *obj = g_value_get_object(&params[0]);
	if (!GTK_IS_WINDOW(obj) || gtk_window_get_window_type(GTK_WINDOW(obj)) != GTK_WINDOW_TOPLEVEL)
		return TRUE; // not the main window (a popup): keep watching
	if (!released) {
		held = GTK_WIDGET(obj);
		g_object_ref(held);
		gtk_widget_hide(held);
	}
	return FALSE; // only the first window: remove the hook
}

static void windowshow_hold(void) {
	// Looking up a signal needs its class; creating the class needs no display.
	gpointer cls = g_type_class_ref(GTK_TYPE_WIDGET);
	guint id = g_signal_lookup("map", GTK_TYPE_WIDGET);
	g_signal_add_emission_hook(id, 0, on_map, NULL, NULL);
	g_type_class_unref(cls);
}

static gboolean windowshow_show_idle(gpointer data) {
	released = TRUE;
	if (held != NULL) {
		gtk_widget_show(held);
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
)

var held bool

func hold() bool {
	// GTK must be called from one thread: the one that calls wails.Run
	// (Wails locks it too; this makes sure the hook's class is created on it).
	runtime.LockOSThread()
	C.windowshow_hold()
	held = true
	return true
}

var shown sync.Once

// show maps the held window the first time; later calls (a window hidden
// since, shown again) go to Wails.
func show() bool {
	if !held {
		return false
	}
	first := false
	shown.Do(func() {
		first = true
		C.windowshow_show()
	})
	return first
}
