package app

import (
	"context"
	"testing"

	"tidings/backend/workspace"
)

func TestWindowGeometryRemembered(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if g := LoadWindowGeometry(ctx, ws.Store); g != (WindowGeometry{Width: DefaultWindowWidth, Height: DefaultWindowHeight}) {
		t.Errorf("first start: got %+v, want the default size", g)
	}
	if err := SaveWindowGeometry(ctx, ws.Store, WindowGeometry{Width: 1500, Height: 900}); err != nil {
		t.Fatal(err)
	}
	// Maximised: the size before maximising is what un-maximising returns to.
	if err := SaveWindowGeometry(ctx, ws.Store, WindowGeometry{Width: 2560, Height: 1400, Maximised: true}); err != nil {
		t.Fatal(err)
	}
	ws.Close()

	ws, err = workspace.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if g := LoadWindowGeometry(ctx, ws.Store); g != (WindowGeometry{Width: 1500, Height: 900, Maximised: true}) {
		t.Errorf("after a restart: got %+v, want 1500x900 maximised", g)
	}
	// Too small is raised to the window's minimum.
	if err := SaveWindowGeometry(ctx, ws.Store, WindowGeometry{Width: 300, Height: 200}); err != nil {
		t.Fatal(err)
	}
	if g := LoadWindowGeometry(ctx, ws.Store); g.Width != MinWindowWidth || g.Height != MinWindowHeight || g.Maximised {
		t.Errorf("too small: got %+v, want the minimum size", g)
	}
}

func TestWindowGeometryIgnoresNonsense(t *testing.T) {
	ctx := context.Background()
	ws, err := workspace.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	def := WindowGeometry{Width: DefaultWindowWidth, Height: DefaultWindowHeight}
	for _, v := range []string{`{`, `"big"`, `{"width":99999999,"height":800}`, `{"width":-5,"height":-5}`} {
		if err := ws.Store.SetSetting(ctx, windowGeometryKey, v); err != nil {
			t.Fatal(err)
		}
		if g := LoadWindowGeometry(ctx, ws.Store); g != def {
			t.Errorf("stored %s: got %+v, want the default size", v, g)
		}
	}
}
