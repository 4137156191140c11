// The window opens unseen and is shown when its page has its first screen
// in the DOM (app/window_show.go), so the user never sees it blank while
// WebKit starts. The page asks here once: the first rows, the first-launch
// screen, an empty view or an error. The Go side shows the window anyway
// after a bounded time if the page never asks.

/** What the page has drawn when it asks (app.ShowGate logs it). */
export type ShowReason = 'rows' | 'welcome' | 'screen' | 'error';

let asked = false;

/** showWindow asks the Go side to show the window, the first time only.
 * The page is laid out first, while the window is still unseen (WebKit
 * runs no animation frames for a hidden page, but layout and script run),
 * so the frame after the window maps has only painting left. */
export function showWindow(reason: ShowReason): void {
  if (asked) return;
  asked = true;
  performance.mark('tidings:show');
  void document.body.offsetHeight;
  // To the asset server, which answers before the bindings are ready; a
  // stand-in server without it (Vite, tests) answers 404.
  void fetch('/tidings/show?reason=' + reason).catch(() => {});
}
