package app

import (
	"context"
	"encoding/json"
	"fmt"

	"tidings/backend/store"
)

// WindowGeometry is the window's size and state as the user left it; the
// next start opens the window the same way.
type WindowGeometry struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
}

// The window's first size, its smallest, and the largest size taken back
// from the store (anything bigger is a corrupt value, not a screen).
const (
	DefaultWindowWidth  = 1280
	DefaultWindowHeight = 820
	MinWindowWidth      = 900
	MinWindowHeight     = 560
	maxWindowSide       = 16384
)

const windowGeometryKey = "window.geometry"

// LoadWindowGeometry returns the size the window was last closed at, or
// the default size when there is none or what is stored makes no sense.
func LoadWindowGeometry(ctx context.Context, st *store.Store) WindowGeometry {
	g := WindowGeometry{Width: DefaultWindowWidth, Height: DefaultWindowHeight}
	v, err := st.Setting(ctx, windowGeometryKey)
	if err != nil || v == "" {
		return g
	}
	var saved WindowGeometry
	if json.Unmarshal([]byte(v), &saved) != nil {
		return g
	}
	if saved.Width >= MinWindowWidth && saved.Width <= maxWindowSide &&
		saved.Height >= MinWindowHeight && saved.Height <= maxWindowSide {
		g.Width, g.Height = saved.Width, saved.Height
	}
	g.Maximised = saved.Maximised
	return g
}

// SaveWindowGeometry keeps the window's size for the next start. A
// maximised window keeps the size it had before it was maximised, so
// un-maximising after the next start returns to it.
func SaveWindowGeometry(ctx context.Context, st *store.Store, g WindowGeometry) error {
	if g.Maximised {
		prev := LoadWindowGeometry(ctx, st)
		g.Width, g.Height = prev.Width, prev.Height
	}
	g.Width = min(max(g.Width, MinWindowWidth), maxWindowSide)
	g.Height = min(max(g.Height, MinWindowHeight), maxWindowSide)
	b, err := json.Marshal(g)
	if err != nil {
		return fmt.Errorf("app: window geometry: %w", err)
	}
	if err := st.SetSetting(ctx, windowGeometryKey, string(b)); err != nil {
		return fmt.Errorf("app: saving the window geometry: %w", err)
	}
	return nil
}
