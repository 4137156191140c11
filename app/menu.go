package app

import (
	"runtime"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
)

// MenuItem is one archive entry of the application menu.
type MenuItem struct {
	Label  string
	Action string // sent as the payload of EventMenu
	Keys   *keys.Accelerator
}

// MenuItems are the File menu's archive entries, in order.
var MenuItems = []MenuItem{
	{"Export…", JobExport, keys.Combo("e", keys.CmdOrCtrlKey, keys.ShiftKey)},
	{"Import…", JobImport, keys.Combo("o", keys.CmdOrCtrlKey, keys.ShiftKey)},
	{"Back Up…", JobBackup, keys.Combo("b", keys.CmdOrCtrlKey, keys.ShiftKey)},
	{"Restore…", JobRestore, nil},
}

// Menu is the application menu: File with Export…, Import…, Back Up…,
// Restore… (each tells the window to open its dialog, through EventMenu)
// and Quit; on macOS also the standard app and Edit menus, without which
// copy and paste do not work there.
func Menu(x *Archive) *menu.Menu {
	m := menu.NewMenu()
	if runtime.GOOS == "darwin" {
		m.Append(menu.AppMenu())
	}
	file := m.AddSubmenu("File")
	for _, it := range MenuItems {
		file.AddText(it.Label, it.Keys, func(*menu.CallbackData) { x.menuAction(it.Action) })
	}
	if runtime.GOOS != "darwin" {
		file.AddSeparator()
		file.AddText("Quit", keys.CmdOrCtrl("q"), func(*menu.CallbackData) {
			if x.shell != nil {
				x.shell.Quit(x.in.ctx)
			}
		})
	}
	if runtime.GOOS == "darwin" {
		m.Append(menu.EditMenu())
	}
	return m
}

// menuAction asks the window to open an archive dialog (export, import,
// backup, restore), as the menu does.
func (x *Archive) menuAction(action string) {
	if x.in.emit != nil {
		x.in.emit.Emit(EventMenu, action)
	}
}
