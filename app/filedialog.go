package app

import (
	"context"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// FileDialog opens the system's file chooser. The Wails runtime implements
// it in the window; tests give the Inbox a stand-in, since the runtime's
// functions need a running window.
type FileDialog interface {
	// OpenFiles lets the user pick files and returns their paths; none
	// when the user cancels.
	OpenFiles(ctx context.Context, title string) ([]string, error)
}

// wailsDialog is the native dialog through the Wails runtime.
type wailsDialog struct{}

func (wailsDialog) OpenFiles(ctx context.Context, title string) ([]string, error) {
	return wailsruntime.OpenMultipleFilesDialog(ctx, wailsruntime.OpenDialogOptions{Title: title})
}

// fileDialog is the Inbox's file chooser: the native one unless a test set
// another.
func (a *Inbox) fileDialog() FileDialog {
	if a.files != nil {
		return a.files
	}
	return wailsDialog{}
}
