// The window opens unseen and is shown when its page has its first screen
// painted (app/window_show.go, app/windowshow), so the user never sees it
// blank while WebKit starts. The page asks here once: the first rows, the
// first-launch screen, an empty view or an error. The Go side shows the
// window anyway after a bounded time if the page never asks.

import { afterPaint } from './boot';

/** What the page has drawn when it asks (app.ShowGate logs it). */
export type ShowReason = 'rows' | 'welcome' | 'screen' | 'error';

/** How long the page waits for its frame to be painted before it asks. */
export const PAINT_WAIT_MS = 1000;

/** How long the work after the first rows waits for the window to be
 * shown (see untilShown) when the page never asks. */
export const SHOWN_WAIT_MS = 1500;

let asked = false;
let answered: () => void = () => {};
const shown = new Promise<void>((resolve) => (answered = resolve));

/** untilShown resolves once the page has asked for the window and the Go
 * side answered (it has queued the window's map by then), or could not be
 * asked, or after SHOWN_WAIT_MS. The work that follows the first rows (the
 * bindings' first calls: counts, the open conversation, suggestions) waits
 * for it, so it does not compete with the window's first appearance for
 * the Go process and the CPU. */
export function untilShown(): Promise<void> {
  return Promise.race([shown, wait(SHOWN_WAIT_MS)]);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** showWindow asks the Go side to show the window, the first time only,
 * once the screen in the DOM now is painted. On Linux the web view is
 * mapped for WebKit while its window is not yet on screen, so the page is
 * "visible" and paints: the window maps with the rows already drawn. Where
 * the page is hidden until the window shows (no frames run), it asks at
 * once, after laying the page out, so the frame after the map only paints. */
export function showWindow(reason: ShowReason): void {
  if (asked) return;
  asked = true;
  void document.body.offsetHeight;
  // A frame that never comes (or comes very late) does not keep the window
  // unseen: at worst it is shown before its rows are painted.
  // Two frames: the second begins once the first frame's pixels were
  // handed to the window (the Go side draws them as the window maps).
  const painted = document.visibilityState === 'visible' ? Promise.race([afterPaint().then(afterPaint), wait(PAINT_WAIT_MS)]) : Promise.resolve();
  void painted
    .then(() => {
      performance.mark('tidings:show');
      // To the asset server, which answers before the bindings are ready;
      // a stand-in server without it (Vite, tests) answers 404.
      return fetch('/tidings/show?reason=' + reason);
    })
    .catch(() => {})
    .finally(() => answered());
}
