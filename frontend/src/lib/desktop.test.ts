import { afterEach, describe, expect, it } from 'vitest';
import { startDesktop } from './desktop';

type Handler = (...data: unknown[]) => void;

// A stand-in window: the Wails runtime's events, the bound Notifier, focus.
function fakeWindow() {
  const listeners = new Map<string, Handler[]>();
  const docListeners = new Map<string, Handler[]>();
  const away: boolean[] = [];
  const w = {
    focused: true,
    hidden: false,
    runtime: {
      EventsOn(name: string, cb: Handler) {
        listeners.set(name, [...(listeners.get(name) ?? []), cb]);
        return () => listeners.set(name, (listeners.get(name) ?? []).filter((f) => f !== cb));
      },
    },
    go: { app: { Notifier: { SetAway: async (a: unknown) => void away.push(a as boolean) } } },
    document: {
      get visibilityState() {
        return w.hidden ? 'hidden' : 'visible';
      },
      hasFocus: () => w.focused,
      addEventListener: (n: string, f: Handler) => docListeners.set(n, [...(docListeners.get(n) ?? []), f]),
      removeEventListener: (n: string, f: Handler) => docListeners.set(n, (docListeners.get(n) ?? []).filter((x) => x !== f)),
    },
    winListeners: new Map<string, Handler[]>(),
    addEventListener(n: string, f: Handler) {
      this.winListeners.set(n, [...(this.winListeners.get(n) ?? []), f]);
    },
    removeEventListener(n: string, f: Handler) {
      this.winListeners.set(n, (this.winListeners.get(n) ?? []).filter((x) => x !== f));
    },
    emit(name: string, ...data: unknown[]) {
      for (const f of listeners.get(name) ?? []) f(...data);
    },
    fire(n: string) {
      for (const f of this.winListeners.get(n) ?? []) f();
      for (const f of docListeners.get(n) ?? []) f();
    },
    away,
  };
  return w;
}

const g = globalThis as unknown as { window?: unknown };

afterEach(() => {
  delete g.window;
});

describe('desktop notifications in the window', () => {
  it('opens the clicked conversation and reports focus changes once each', async () => {
    const w = fakeWindow();
    g.window = w;
    const opened: string[] = [];
    const stop = startDesktop({ open: (id) => opened.push(id) }, w as unknown as Window);
    w.emit('notify:open', 'cv_42');
    w.emit('notify:open', '');
    w.emit('notify:open', 17);
    expect(opened).toEqual(['cv_42']);

    w.focused = false;
    w.fire('blur');
    w.fire('blur');
    w.focused = true;
    w.fire('focus');
    w.hidden = true;
    w.fire('visibilitychange');
    await Promise.resolve();
    expect(w.away).toEqual([false, true, false, true]);

    stop();
    w.emit('notify:open', 'cv_43');
    w.hidden = false;
    w.fire('visibilitychange');
    expect(opened).toEqual(['cv_42']);
    expect(w.away).toHaveLength(4);
  });

  it('still opens conversations where no Notifier is bound', () => {
    const w = fakeWindow();
    (w.go.app as Record<string, unknown>).Notifier = undefined;
    g.window = w;
    const opened: string[] = [];
    startDesktop({ open: (id) => opened.push(id) }, w as unknown as Window);
    w.emit('notify:open', 'cv_1');
    expect(opened).toEqual(['cv_1']);
    expect(w.away).toEqual([]);
  });
});
