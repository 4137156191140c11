// Whether the settings screen is open, and on which section. Anything may
// open it (the sidebar, Ctrl+, , a link "Notification settings").

export class SettingsState {
  open = $state(false);
  section = $state('');

  show(section = ''): void {
    if (section) this.section = section;
    this.open = true;
  }

  hide(): void {
    this.open = false;
  }

  toggle(): void {
    if (this.open) this.hide();
    else this.show();
  }
}

export const settings = new SettingsState();

/** isSettingsKey says whether a key event is the settings shortcut
 * (Ctrl+, or ⌘, on a Mac). */
export function isSettingsKey(e: { key: string; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; shiftKey?: boolean }): boolean {
  return e.key === ',' && (!!e.ctrlKey || !!e.metaKey) && !e.altKey && !e.shiftKey;
}
