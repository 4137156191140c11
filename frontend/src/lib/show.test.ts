import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// lib/show keeps "asked" per page: each test loads a fresh copy.
async function load() {
  vi.resetModules();
  return import('./show');
}

describe('showWindow', () => {
  let asked: string[];
  let frames: FrameRequestCallback[];
  let visibility: string;

  beforeEach(() => {
    vi.useFakeTimers();
    asked = [];
    frames = [];
    visibility = 'visible';
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    vi.stubGlobal('document', {
      get visibilityState() {
        return visibility;
      },
      body: { offsetHeight: 0 },
    });
    vi.stubGlobal('performance', { mark: () => {} });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('asks once the screen is painted and handed on (two frames), and only once', async () => {
    const { showWindow } = await load();
    showWindow('rows');
    showWindow('screen');
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual([]); // no frame yet
    for (const cb of frames.splice(0)) cb(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual([]); // one frame
    for (const cb of frames.splice(0)) cb(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['/tidings/show?reason=rows']);
  });

  it('asks at once when the page is hidden (no frame runs until the window shows)', async () => {
    visibility = 'hidden';
    const { showWindow } = await load();
    showWindow('welcome');
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['/tidings/show?reason=welcome']);
    expect(frames).toHaveLength(0);
  });

  it('asks anyway when the frame never comes', async () => {
    const { showWindow, PAINT_WAIT_MS } = await load();
    showWindow('error');
    await vi.advanceTimersByTimeAsync(PAINT_WAIT_MS - 1);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual(['/tidings/show?reason=error']);
  });

  it('does not throw when the server has no such path', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('network')));
    visibility = 'hidden';
    const { showWindow } = await load();
    expect(() => showWindow('rows')).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
  });
});

describe('untilShown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('document', { visibilityState: 'hidden', body: { offsetHeight: 0 } });
    vi.stubGlobal('performance', { mark: () => {} });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('resolves once the Go side answered the request', async () => {
    let answer: (r: Response) => void = () => {};
    vi.stubGlobal('fetch', () => new Promise<Response>((r) => (answer = r)));
    const { showWindow, untilShown } = await load();
    let done = false;
    void untilShown().then(() => (done = true));
    showWindow('rows');
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toBe(false);
    answer(new Response(null, { status: 204 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });

  it('gives up waiting when the page never asks', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(null, { status: 204 })));
    const { untilShown, SHOWN_WAIT_MS } = await load();
    let done = false;
    void untilShown().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(SHOWN_WAIT_MS - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
