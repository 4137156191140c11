package app

import (
	"context"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Shell is the part of the desktop runtime the archive needs: the native
// file pickers, and quitting from the menu. The Wails runtime implements it
// (WailsShell); tests use a stand-in, so they run without a window.
type Shell interface {
	// SaveFile asks for a file to write; "" when the user cancels.
	SaveFile(ctx context.Context, o PickOptions) (string, error)
	// OpenFile asks for a file to read; "" when the user cancels.
	OpenFile(ctx context.Context, o PickOptions) (string, error)
	// OpenFolder asks for a folder; "" when the user cancels.
	OpenFolder(ctx context.Context, o PickOptions) (string, error)
	// Quit closes the application.
	Quit(ctx context.Context)
}

// PickOptions describe a file picker.
type PickOptions struct {
	Title   string
	Dir     string
	Name    string
	Filters []PickFilter
}

// PickFilter is one "files of type" choice, e.g. {"Mailbox", "*.mbox;*.mbx"}.
type PickFilter struct {
	Name    string
	Pattern string
}

// WailsShell is Shell over the Wails runtime; its methods need the
// window's context.
type WailsShell struct{}

func (WailsShell) SaveFile(ctx context.Context, o PickOptions) (string, error) {
	return wailsruntime.SaveFileDialog(ctx, wailsruntime.SaveDialogOptions{Title: o.Title, DefaultDirectory: o.Dir,
		DefaultFilename: o.Name, Filters: wailsFilters(o.Filters), CanCreateDirectories: true})
}

func (WailsShell) OpenFile(ctx context.Context, o PickOptions) (string, error) {
	return wailsruntime.OpenFileDialog(ctx, wailsruntime.OpenDialogOptions{Title: o.Title, DefaultDirectory: o.Dir,
		DefaultFilename: o.Name, Filters: wailsFilters(o.Filters)})
}

func (WailsShell) OpenFolder(ctx context.Context, o PickOptions) (string, error) {
	return wailsruntime.OpenDirectoryDialog(ctx, wailsruntime.OpenDialogOptions{Title: o.Title, DefaultDirectory: o.Dir})
}

func (WailsShell) Quit(ctx context.Context) { wailsruntime.Quit(ctx) }

func wailsFilters(fs []PickFilter) []wailsruntime.FileFilter {
	out := make([]wailsruntime.FileFilter, 0, len(fs))
	for _, f := range fs {
		out = append(out, wailsruntime.FileFilter{DisplayName: f.Name, Pattern: f.Pattern})
	}
	return out
}
