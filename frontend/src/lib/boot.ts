// The first screen: index.html asks the Go side for the first page of the
// list (app/boot.go) while this app's script is still loading, so the rows
// are drawn without waiting for the script, the bindings, or the sidebar's
// counts. When it is missing (a test stand-in, the Vite dev server) or
// fails, the app asks through the bindings as usual.

import type { ConversationView } from './types';

/** Boot is app.Boot: the rows of the view the window opens on, and the
 * saved pane layout. */
export interface Boot {
  view: string;
  limit: number;
  list: ConversationView[] | null;
  layout: string;
  /** Set when the speed benchmark asks for its scroll (lib/benchScroll.js). */
  bench?: { scroll: number };
}

declare global {
  interface Window {
    /** Set by the inline script in index.html. */
    __tidingsBoot?: Promise<Boot | null>;
  }
}

/** takeBoot returns the first screen once (later calls get null): it is
 * only true at launch, never after a reload of the list. */
export function takeBoot(): Promise<Boot | null> {
  const p = window.__tidingsBoot;
  window.__tidingsBoot = undefined;
  if (!p) return Promise.resolve(null);
  return p.then((b) => (b && typeof b.view === 'string' ? b : null)).catch(() => null);
}

/** afterPaint resolves once the next frame has been painted. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}
