// The speed benchmark's fast scroll, run inside the real window (WebKitGTK)
// when the Go side asks for it (TIDINGS_BENCH_SCROLL, app/boot.go): the
// list's scrollTop moved by 1,400 px a frame (about 19 rows) through 5,000
// rows, loading pages as the app does, every frame's duration taken from
// requestAnimationFrame; then the same scroll over a static list of plain
// rows in the same window (the control: what this machine's WebKitGTK
// manages without the app). Plain JavaScript, like frame.js, so that a node
// script can hand the very same scroll to a browser. It is only loaded
// when asked for (a dynamic import).

/**
 * scrollList scrolls the element matching list quickly and records every
 * frame's duration (the same scroll as frontend/bench/ui-speed.mjs).
 * @param {{ list: string, rows: number, step: number, rowHeightGuess: number }} o
 * @returns {Promise<{ frames: number[], counts: number[], reached: number, ms: number, loaded: number }>}
 */
export function scrollList({ list, rows, step, rowHeightGuess }) {
  return new Promise((resolve) => {
    const el = /** @type {HTMLElement} */ (document.querySelector(list));
    /** @type {number[]} */
    const frames = [];
    // The conversations loaded when each frame began: a frame that follows
    // a page's arrival is told apart (pageFrames).
    /** @type {number[]} */
    const counts = [];
    let last = performance.now();
    const t0 = last;
    let stuck = 0;
    const firstRow = document.querySelector(`${list} [role="option"]`);
    const rowH = (firstRow && firstRow.getBoundingClientRect().height) || rowHeightGuess;
    const tick = (/** @type {number} */ now) => {
      frames.push(now - last);
      counts.push(Number(el.getAttribute('data-count')));
      last = now;
      const before = el.scrollTop;
      el.scrollTop = Math.min(before + step, el.scrollHeight - el.clientHeight);
      const reached = Math.floor(el.scrollTop / rowH);
      stuck = el.scrollTop === before ? stuck + 1 : 0;
      if (reached >= rows || now - t0 > 30000 || stuck > 120) {
        resolve({ frames: frames.slice(1), counts: counts.slice(1), reached, ms: now - t0, loaded: Number(el.getAttribute('data-count')) });
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  });
}

/**
 * frameStats sums up frame durations: how many, how many over 20 ms (a
 * dropped frame at 60 Hz), the 95th percentile and the longest.
 * @param {number[]} frames
 */
export function frameStats(frames) {
  const s = [...frames].sort((a, b) => a - b);
  return {
    frames: s.length,
    long: s.filter((d) => d > 20).length,
    p95: s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : 0,
    max: s.length ? s[s.length - 1] : 0,
  };
}

/**
 * pageFrames counts the long frames (over 20 ms) that came right after a
 * page of conversations arrived: those whose frame, or the one before,
 * saw the loaded count grow.
 * @param {number[]} frames
 * @param {number[]} counts the loaded count as each frame began
 */
export function pageFrames(frames, counts) {
  let n = 0;
  for (let i = 0; i < frames.length; i++) {
    if (frames[i] <= 20) continue;
    const grew = (/** @type {number} */ k) => k > 0 && k < counts.length && counts[k] !== counts[k - 1];
    if (grew(i) || grew(i + 1)) n++;
  }
  return n;
}

const LIST = '[data-testid="conversation-list"]';

/**
 * controlScroll runs the same scroll over a static list of plain rows laid
 * over the window, then removes it. ready is awaited once the list is
 * built and drawn, before it scrolls.
 * @param {number} rows
 * @param {() => Promise<unknown>} ready
 */
async function controlScroll(rows, ready) {
  const box = document.createElement('div');
  box.setAttribute('data-testid', 'bench-control');
  box.style.cssText = 'position:fixed;inset:0;z-index:1000;background:#fff';
  const html = Array.from({ length: rows + 20 }, (_, i) => `<div role="option" style="height:72px;border-bottom:1px solid #ddd;font:14px sans-serif;padding:8px;box-sizing:border-box">Customer ${i}<br>Subject line ${i}</div>`).join('');
  box.innerHTML = `<div class="bench-control-list" data-count="${rows}" style="height:700px;overflow:auto">${html}</div>`;
  document.body.appendChild(box);
  try {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await ready();
    return await scrollList({ list: '[data-testid="bench-control"] .bench-control-list', rows, step: 1400, rowHeightGuess: 72 });
  } finally {
    box.remove();
  }
}

/**
 * runScrollBench waits until the window is settled, scrolls the list, then
 * the control, and reports both to the Go side (app/boot.go logs them).
 * @param {{ rows: number }} o
 * @param {Promise<unknown> | null} ready resolves once the window is running
 */
export async function runScrollBench({ rows }, ready) {
  await ready;
  await new Promise((r) => setTimeout(r, 1500));
  // Marks for the Go side's CPU figures: before and after the app's scroll,
  // before and after the control's (app/boot_cpu.go).
  const mark = () => fetch('/tidings/scrolled?mark=1').catch(() => {});
  await mark();
  const app = await scrollList({ list: LIST, rows, step: 1400, rowHeightGuess: 72 });
  await mark();
  const rowsInDom = document.querySelectorAll(`${LIST} [role="option"]`).length;
  const control = await controlScroll(rows, mark);
  await mark();
  const a = frameStats(app.frames);
  const c = frameStats(control.frames);
  const q = new URLSearchParams({
    rows: String(app.reached),
    loaded: String(app.loaded),
    seconds: String(app.ms / 1000),
    frames: String(a.frames),
    long: String(a.long),
    p95: String(a.p95),
    max: String(a.max),
    long_page: String(pageFrames(app.frames, app.counts)),
    pages: String(new Set(app.counts).size - 1),
    dom: String(rowsInDom),
    ctl_frames: String(c.frames),
    ctl_long: String(c.long),
    ctl_p95: String(c.p95),
    ctl_max: String(c.max),
  });
  await fetch('/tidings/scrolled?' + q.toString());
}
