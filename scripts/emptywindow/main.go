// Command emptywindow is the floor of the window's memory: a Wails v2 window
// (GTK and WebKitGTK's UI side in this process, as in Tidings) showing one
// static page, with no store, no bindings and none of Tidings' Go code.
// scripts/bench-ui.sh measures its resident memory next to Tidings' own, so
// the share of the Go process that GTK and WebKitGTK take is a measured
// figure. It starts WebKitGTK with the same environment as Tidings' window
// (app/webkitenv). Build it like the app:
//
//	go build -tags desktop,production -o build/bin/emptywindow ./scripts/emptywindow
package main

import (
	"fmt"
	"os"
	"testing/fstest"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"tidings/app/webkitenv"
)

const page = `<!doctype html><html><head><meta charset="utf-8"><title>Empty</title></head>
<body style="font:14px sans-serif;margin:40px"><h1>Empty window</h1><p>A Wails window with nothing behind it.</p></body></html>`

func main() {
	webkitenv.Apply()
	assets := fstest.MapFS{"index.html": &fstest.MapFile{Data: []byte(page)}}
	err := wails.Run(&options.App{
		Title:       "Empty",
		Width:       1280,
		Height:      820,
		AssetServer: &assetserver.Options{Assets: assets},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "emptywindow:", err)
		os.Exit(1)
	}
}
