// The window's side of desktop notifications: a click on one (the event
// notify:open) opens its conversation, and the notifier hears whether the
// window is in front (for "only while I'm away").

import { EVENT_NOTIFY_OPEN, hasService, onEvent, settingsApi } from './api';

export interface DesktopHooks {
  /** Opens a conversation (and leaves whatever covers the list). */
  open: (conversationID: string) => void;
}

/** startDesktop wires the notification click and the focus reports; it
 * returns a function that stops both. */
export function startDesktop(hooks: DesktopHooks, win: Window = window): () => void {
  const off = onEvent(EVENT_NOTIFY_OPEN, (id) => {
    if (typeof id === 'string' && id) hooks.open(id);
  });
  if (!hasService('Notifier')) return off;
  let last: boolean | null = null;
  const report = () => {
    const away = win.document.visibilityState === 'hidden' || !win.document.hasFocus();
    if (away === last) return;
    last = away;
    settingsApi.setAway(away).catch(() => {});
  };
  report();
  win.addEventListener('focus', report);
  win.addEventListener('blur', report);
  win.document.addEventListener('visibilitychange', report);
  return () => {
    off();
    win.removeEventListener('focus', report);
    win.removeEventListener('blur', report);
    win.document.removeEventListener('visibilitychange', report);
  };
}
