// Window speed benchmark (prints figures, never fails on speed): Debian's
// Chromium, driven by playwright-core, against the dev-tagged Tidings binary
// serving a large store. Run by scripts/bench-ui.sh, which sets
//   APP_URL  the dev server's URL
//   APP_PID  the Go process, for its resident memory (/proc/PID/status)
//   RUNS     how many fresh browser profiles to measure (default 5)
// and reads one JSON line from stdout.
//
// Per run, with a fresh --user-data-dir:
//   first rows   navigation start -> the first conversation rows painted
//                (a MutationObserver sees the rows, then the next frame);
//                with where the time went: the first page's response
//                (/tidings/boot.json, app/boot.go), the app's script
//                starting, its first page in hand, the rows in the DOM;
//                and what does not depend on the machine's load: elements
//                and rows in the first frame, KB of script and CSS loaded;
//   open click   mousedown on a row (the event's timeStamp) -> all of its
//                messages in the pane and the next frame painted;
//   open j       keydown "j" -> the next conversation's messages painted;
//   scroll       the list's scrollTop moved by 1,400 px a frame (about 19
//                rows) through 5,000 rows, loading pages as the app does;
//                frames longer than 20 ms counted from requestAnimationFrame;
//   PROFILE=1    also prints the first run's JavaScript CPU profile of the
//                scroll (self time by function) to stderr; build the
//                frontend with `vite build --minify false` to read names.
//   control      the same scroll over a static page of 5,000 plain rows: what
//                this (shared) machine's Chromium manages without the app.
//   per frame    counts that do not depend on the machine's load, from
//                Chromium's own counters (CDP Performance.getMetrics) over the
//                scroll divided by its frames: layouts, style recalculations,
//                and their ms, script ms; DOM nodes added (a MutationObserver);
//                the same for the control.
//   SHOT=dir     screenshots of the first run: first.png (first rows),
//                scrolled.png (after the scroll), to compare the look.
//   TRACE=1      also traces the first run's scroll (CDP Tracing) and prints
//                the main thread's time per frame by event (Layout, Paint,
//                UpdateLayoutTree, FunctionCall...) to stderr.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const URL = process.env.APP_URL;
const PID = process.env.APP_PID;
const RUNS = Number(process.env.RUNS || 5);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCROLL_ROWS = Number(process.env.SCROLL_ROWS || 5000);
if (!URL) throw new Error('bench: APP_URL is not set; run scripts/bench-ui.sh');

const LIST = '[data-testid="conversation-list"]';
const ROWS = `${LIST} [role="option"]`;

// Installed before the page's own scripts: notes when rows first appear.
function firstRowsProbe(rowsSelector) {
  window.__bench = { firstRows: 0, rowsDom: 0 };
  const mo = new MutationObserver(() => {
    if (!document.querySelector(rowsSelector)) return;
    mo.disconnect();
    window.__bench.rowsDom = performance.now();
    requestAnimationFrame(() => {
      // What the first frame draws: elements in the page, and rows.
      window.__bench.elements = document.getElementsByTagName('*').length;
      window.__bench.rows = document.querySelectorAll(rowsSelector).length;
      setTimeout(() => (window.__bench.firstRows = performance.now()));
    });
  });
  const start = () => mo.observe(document.documentElement, { childList: true, subtree: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
}

// Arms the page to time the next open: from the input event's timeStamp to
// the frame after the pane shows only new messages.
function armOpen(input) {
  const old = new Set(document.querySelectorAll('[data-testid="message"]'));
  window.__open = { t0: 0, done: 0 };
  const onInput = (e) => (window.__open.t0 = e.timeStamp);
  window.addEventListener(input, onInput, { capture: true, once: true });
  const check = () => {
    const ms = document.querySelectorAll('[data-testid="message"]');
    if (ms.length === 0 || [...ms].some((m) => old.has(m))) return false;
    requestAnimationFrame(() => setTimeout(() => (window.__open.done = performance.now())));
    return true;
  };
  const mo = new MutationObserver(() => {
    if (check()) mo.disconnect();
  });
  mo.observe(document.body, { childList: true, subtree: true });
}

// Scrolls the list quickly and records every frame's duration.
function scrollList({ list, rows, step, rowHeightGuess }) {
  return new Promise((resolve) => {
    const el = document.querySelector(list);
    const frames = [];
    // Elements created while scrolling (rows entering the DOM and their
    // children): zero when rows are reused.
    let added = 0;
    const count = (n) => {
      if (n.nodeType !== 1) return;
      added += 1 + n.getElementsByTagName('*').length;
    };
    const mo = new MutationObserver((recs) => {
      for (const r of recs) r.addedNodes.forEach(count);
    });
    mo.observe(el, { childList: true, subtree: true });
    let last = performance.now();
    const t0 = last;
    let stuck = 0;
    const firstRow = document.querySelector(`${list} [role="option"]`);
    const rowH = (firstRow && firstRow.getBoundingClientRect().height) || rowHeightGuess;
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      const before = el.scrollTop;
      el.scrollTop = Math.min(before + step, el.scrollHeight - el.clientHeight);
      const reached = Math.floor(el.scrollTop / rowH);
      stuck = el.scrollTop === before ? stuck + 1 : 0;
      if (reached >= rows || now - t0 > 30000 || stuck > 120) {
        mo.disconnect();
        resolve({ frames: frames.slice(1), reached, ms: now - t0, loaded: Number(el.getAttribute('data-count')), added });
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

function memory() {
  if (!PID) return null;
  try {
    const s = readFileSync(`/proc/${PID}/status`, 'utf8');
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [])[1] || 0);
    return { rss_mb: kb('VmRSS') / 1024, hwm_mb: kb('VmHWM') / 1024, anon_mb: kb('RssAnon') / 1024 };
  } catch {
    return null;
  }
}

async function openTimed(page, input, act) {
  await page.evaluate(armOpen, input);
  await act();
  await page.waitForFunction(() => window.__open.done > 0, null, { timeout: 20000 });
  return page.evaluate(() => window.__open.done - window.__open.t0);
}

async function run(i) {
  const profile = mkdtempSync(join(tmpdir(), 'tidings-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30000);
    await page.addInitScript(firstRowsProbe, ROWS);
    await page.goto(URL);
    await page.waitForFunction(() => window.__bench && window.__bench.firstRows > 0, null, { timeout: 30000 });
    const firstRows = await page.evaluate(() => window.__bench.firstRows);
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0);
    const parts = await page.evaluate(() => {
      const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
      const boot = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/tidings/boot.json'));
      // The script and style the page loaded before its first rows.
      const kb = (re) =>
        performance
          .getEntriesByType('resource')
          .filter((e) => re.test(new URL(e.name).pathname) && e.startTime < window.__bench.firstRows)
          .reduce((a, e) => a + e.decodedBodySize / 1024, 0);
      return {
        boot: boot ? boot.responseEnd : -1,
        script: mark('tidings:script'),
        data: mark('tidings:list'),
        dom: window.__bench.rowsDom,
        elements: window.__bench.elements,
        rows: window.__bench.rows,
        js_kb: Math.round(kb(/\.js$/)),
        css_kb: Math.round(kb(/\.css$/)),
      };
    });
    // Let the first conversation (opened by itself) settle.
    await page.waitForSelector('[data-testid="message"]');
    await page.waitForTimeout(300);
    // SHOT=dir: screenshots of the first run, to compare the look.
    const shot = process.env.SHOT && i === 1 ? (name) => page.screenshot({ path: join(process.env.SHOT, name) }) : async () => {};
    await shot('first.png');
    const memLoaded = memory();

    const clicks = [];
    for (const idx of [3, 6, 9]) {
      const row = page.locator(ROWS).nth(idx);
      const box = await row.boundingBox();
      clicks.push(await openTimed(page, 'mousedown', () => page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)));
      await page.waitForTimeout(150);
    }
    const keys = [];
    await page.locator(LIST).focus();
    for (let k = 0; k < 3; k++) {
      keys.push(await openTimed(page, 'keydown', () => page.keyboard.press('j')));
      await page.waitForTimeout(600); // past the read-on-linger delay
    }

    const cdp = await context.newCDPSession(page);
    const profiling = process.env.PROFILE && i === 1;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const tracing = process.env.TRACE && i === 1 ? await startTrace(cdp) : null;
    await cdp.send('Performance.enable');
    const before = await metrics(cdp);
    const scroll = await page.evaluate(scrollList, { list: LIST, rows: SCROLL_ROWS, step: 1400, rowHeightGuess: 72 });
    const cost = perFrame(before, await metrics(cdp), scroll);
    if (tracing) printTrace('app', await tracing(), scroll.frames.length);
    if (profiling) printProfile((await cdp.send('Profiler.stop')).profile);
    await page.mouse.move(200, 700);
    await shot('scrolled.png');
    const f = scroll.frames;
    const sorted = [...f].sort((a, b) => a - b);
    const memScrolled = memory();
    // The Go side's own account (app/memory.go): the Go runtime's share.
    const goMem = await page.evaluate(() => window.go.app.Inbox.Memory()).catch(() => null);
    const rowsDrawn = await page.locator(ROWS).count();
    const control = await controlScroll(context, !!tracing);
    return {
      run: i,
      first_rows_ms: firstRows,
      first_rows_parts: parts,
      fcp_ms: fcp,
      open_click_ms: median(clicks),
      open_j_ms: median(keys),
      scroll: {
        rows: scroll.reached,
        loaded: scroll.loaded,
        frames: f.length,
        long_frames: f.filter((d) => d > 20).length,
        over_frame_ms: f.filter((d) => d > 16.7).length,
        p95_ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
        max_ms: sorted[sorted.length - 1] ?? 0,
        seconds: scroll.ms / 1000,
      },
      per_frame: cost,
      control_per_frame: control.cost,
      control_long_frames: control.frames.filter((d) => d > 20).length,
      control_over_frame_ms: control.frames.filter((d) => d > 16.7).length,
      control_p95_ms: [...control.frames].sort((a, b) => a - b)[Math.floor(control.frames.length * 0.95)] ?? 0,
      control_max_ms: Math.max(0, ...control.frames),
      control_frames: control.frames.length,
      rows_in_dom: rowsDrawn,
      mem_loaded: memLoaded,
      mem_scrolled: memScrolled,
      go_mem: goMem,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// printProfile writes the functions with the most self time.
function printProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, k) => {
    const cf = byId.get(id).callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[k] || 0));
  });
  const sum = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  process.stderr.write('bench-ui: CPU profile of the scroll (self time):\n');
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    process.stderr.write(`  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / sum).toFixed(1).padStart(5)}%  ${key}\n`);
  }
}

// controlScroll scrolls a static page of plain rows the same way.
async function controlScroll(context, trace) {
  const page = await context.newPage();
  const rows = Array.from({ length: SCROLL_ROWS + 20 }, (_, i) => `<div role="option" style="height:72px;border-bottom:1px solid #ddd;font:14px sans-serif;padding:8px">Customer ${i}<br>Subject line ${i}</div>`).join('');
  await page.setContent(`<div data-testid="conversation-list" data-count="${SCROLL_ROWS}" style="height:700px;overflow:auto">${rows}</div>`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const tracing = trace ? await startTrace(cdp) : null;
  const before = await metrics(cdp);
  const r = await page.evaluate(scrollList, { list: LIST, rows: SCROLL_ROWS, step: 1400, rowHeightGuess: 72 });
  r.cost = perFrame(before, await metrics(cdp), r);
  if (tracing) printTrace('control', await tracing(), r.frames.length);
  await page.close();
  return r;
}

// metrics reads Chromium's page counters (CDP Performance.getMetrics).
async function metrics(cdp) {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
}

// perFrame divides the counters' growth over a scroll by its frames: what
// each frame cost the page's main thread, independent of the machine's load
// for the counts (the ms still grow with load).
function perFrame(a, b, scroll) {
  const n = Math.max(1, scroll.frames.length);
  const d = (k, scale = 1) => Number((((b[k] - a[k]) * scale) / n).toFixed(2));
  return {
    layouts: d('LayoutCount'),
    style_recalcs: d('RecalcStyleCount'),
    layout_ms: d('LayoutDuration', 1000),
    style_ms: d('RecalcStyleDuration', 1000),
    script_ms: d('ScriptDuration', 1000),
    task_ms: d('TaskDuration', 1000),
    nodes_added: Number((scroll.added / n).toFixed(1)),
  };
}

// startTrace starts a CDP trace of the page; the function it returns stops
// it and resolves to the events.
async function startTrace(cdp) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,cc,viz,benchmark',
    transferMode: 'ReportEvents',
  });
  return async () => {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    return events;
  };
}

// printTrace prints, per thread, the complete events' time per frame by
// name (inclusive: a FunctionCall's time includes a layout it forced).
function printTrace(what, events, frames) {
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  // Thread CPU time (tdur) where the trace has it: a shared machine's load
  // stretches wall time, much less the CPU a thread spent.
  const by = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const th = threads.get(`${e.pid}:${e.tid}`) || '?';
    if (!/CrRendererMain|Compositor|TileWorker|Viz/.test(th)) continue;
    const key = `${th}  ${e.name}`;
    by.set(key, (by.get(key) || 0) + (e.tdur ?? e.dur));
  }
  // What each layout touched (Chromium's Layout event: objects needing
  // layout, of all in the tree).
  const lay = events.filter((e) => e.name === 'Layout' && e.ph === 'X' && e.args?.beginData);
  if (lay.length) {
    const avg = (f) => (lay.reduce((a, e) => a + (f(e) || 0), 0) / lay.length).toFixed(0);
    process.stderr.write(`bench-ui: ${what}: ${lay.length} layouts, objects needing layout ${avg((e) => e.args.beginData.dirtyObjects)} of ${avg((e) => e.args.beginData.totalObjects)} (mean), partial ${lay.filter((e) => e.args.beginData.partialLayout).length}\n`);
  }
  process.stderr.write(`bench-ui: trace of the ${what} scroll, CPU ms per frame (${frames} frames), by thread and event:\n`);
  for (const [key, us] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    process.stderr.write(`  ${(us / 1000 / Math.max(1, frames)).toFixed(2).padStart(7)}  ${key}\n`);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// medianOf takes the median of each field over objects of numbers.
function medianOf(objs) {
  return Object.fromEntries(Object.keys(objs[0] || {}).map((k) => [k, median(objs.map((o) => o[k]))]));
}

const runs = [];
for (let i = 1; i <= RUNS; i++) {
  const r = await run(i);
  process.stderr.write(`bench-ui: run ${i}: ${JSON.stringify(r)}\n`);
  runs.push(r);
}
const pick = (fn) => runs.map(fn);
const summary = {
  runs: RUNS,
  first_rows_ms: { median: median(pick((r) => r.first_rows_ms)), cold: runs[0].first_rows_ms, all: pick((r) => r.first_rows_ms) },
  fcp_ms: { median: median(pick((r) => r.fcp_ms)) },
  first_rows_parts: medianOf(pick((r) => r.first_rows_parts)),
  open_click_ms: { median: median(pick((r) => r.open_click_ms)), all: pick((r) => r.open_click_ms) },
  open_j_ms: { median: median(pick((r) => r.open_j_ms)), all: pick((r) => r.open_j_ms) },
  scroll: {
    rows: median(pick((r) => r.scroll.rows)),
    frames: median(pick((r) => r.scroll.frames)),
    long_frames: median(pick((r) => r.scroll.long_frames)),
    long_frames_all: pick((r) => r.scroll.long_frames),
    over_frame_ms: median(pick((r) => r.scroll.over_frame_ms)),
    over_frame_ms_all: pick((r) => r.scroll.over_frame_ms),
    p95_ms: median(pick((r) => r.scroll.p95_ms)),
    max_ms: median(pick((r) => r.scroll.max_ms)),
    seconds: median(pick((r) => r.scroll.seconds)),
  },
  control: {
    long_frames: median(pick((r) => r.control_long_frames)),
    long_frames_all: pick((r) => r.control_long_frames),
    frames: median(pick((r) => r.control_frames)),
    over_frame_ms: median(pick((r) => r.control_over_frame_ms)),
    p95_ms: median(pick((r) => r.control_p95_ms)),
    max_ms: median(pick((r) => r.control_max_ms)),
  },
  per_frame: medianOf(pick((r) => r.per_frame)),
  control_per_frame: medianOf(pick((r) => r.control_per_frame)),
  rows_in_dom: median(pick((r) => r.rows_in_dom)),
  mem: memory(),
  go_mem: runs[runs.length - 1].go_mem,
};
process.stdout.write(JSON.stringify(summary) + '\n');
