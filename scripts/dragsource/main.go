// Command dragsource is a small GTK window from which files are dragged by
// their paths (text/uri-list), as a file manager offers them: the native
// window test (scripts/e2e-native-drop.sh) drags from it onto Tidings with
// xdotool. It prints "ready" once its window is on screen and "dropped"
// after each drag ends.
//
//	dragsource -x 1100 -y 900 FILE...
package main

/*
#cgo pkg-config: gtk+-3.0
#include <stdio.h>
#include <stdlib.h>
#include <gtk/gtk.h>

static gchar **uris;

static void on_get(GtkWidget *w, GdkDragContext *c, GtkSelectionData *d, guint info, guint time, gpointer u) {
	gtk_selection_data_set_uris(d, uris);
}

static void on_end(GtkWidget *w, GdkDragContext *c, gpointer u) {
	printf("dropped\n");
	fflush(stdout);
}

static gboolean on_map(GtkWidget *w, GdkEvent *e, gpointer u) {
	printf("ready\n");
	fflush(stdout);
	return FALSE;
}

static void run(char **paths, int n, int x, int y) {
	gtk_init(NULL, NULL);
	uris = g_new0(gchar *, n + 1);
	for (int i = 0; i < n; i++) {
		uris[i] = g_filename_to_uri(paths[i], NULL, NULL);
	}
	GtkWidget *win = gtk_window_new(GTK_WINDOW_TOPLEVEL);
	gtk_window_set_title(GTK_WINDOW(win), "dragsource");
	gtk_window_set_default_size(GTK_WINDOW(win), 160, 80);
	gtk_window_move(GTK_WINDOW(win), x, y);
	GtkWidget *box = gtk_event_box_new();
	gtk_container_add(GTK_CONTAINER(box), gtk_label_new("drag me"));
	gtk_container_add(GTK_CONTAINER(win), box);
	GtkTargetEntry target = {"text/uri-list", 0, 0};
	gtk_drag_source_set(box, GDK_BUTTON1_MASK, &target, 1, GDK_ACTION_COPY);
	g_signal_connect(box, "drag-data-get", G_CALLBACK(on_get), NULL);
	g_signal_connect(box, "drag-end", G_CALLBACK(on_end), NULL);
	g_signal_connect(win, "map-event", G_CALLBACK(on_map), NULL);
	g_signal_connect(win, "destroy", G_CALLBACK(gtk_main_quit), NULL);
	gtk_widget_show_all(win);
	gtk_main();
}
*/
import "C"

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"
)

func main() {
	x := flag.Int("x", 1100, "window position, left")
	y := flag.Int("y", 900, "window position, top")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: dragsource [-x N -y N] FILE...")
		os.Exit(2)
	}
	paths := make([]*C.char, 0, flag.NArg())
	for _, p := range flag.Args() {
		abs, err := filepath.Abs(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "dragsource:", err)
			os.Exit(1)
		}
		paths = append(paths, C.CString(abs))
	}
	C.run((**C.char)(unsafe.Pointer(&paths[0])), C.int(len(paths)), C.int(*x), C.int(*y))
}
