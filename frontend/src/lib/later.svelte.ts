// Parts of the window nobody needs in its first frame (the settings screen,
// the export and backup dialogs) are loaded once the first rows are painted:
// their code is not in the first script the window parses and runs.

import type { Component } from 'svelte';
import { afterPaint } from './boot';

/** Later holds a component loaded by load(), null until it arrives. */
export class Later {
  component = $state.raw<Component | null>(null);
  error = $state('');
  private started = false;

  constructor(private readonly importer: () => Promise<{ default: Component }>) {}

  /** load starts loading the component (once). */
  load(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    return this.importer().then(
      (m) => {
        this.component = m.default;
      },
      (e) => {
        this.error = e instanceof Error ? e.message : String(e);
      },
    );
  }
}

/** afterFirstFrame resolves once the next frame is painted and the main
 * thread is idle after it (requestIdleCallback where the engine has it;
 * WebKitGTK may not): work that can wait does not delay what comes right
 * after the first rows. */
export function afterFirstFrame(): Promise<void> {
  return afterPaint().then(
    () =>
      new Promise<void>((resolve) => {
        if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 300 });
        else setTimeout(resolve, 16);
      }),
  );
}

/** loadAfterPaint loads each of later once the first frame is painted and
 * the main thread is idle. */
export function loadAfterPaint(...later: Later[]): Promise<void> {
  return afterFirstFrame().then(() => Promise.all(later.map((l) => l.load())).then(() => {}));
}
