// Startup trace (a development aid next to ui-speed.mjs): loads APP_URL in
// Chromium (fresh profile per run: no code cache, as a first launch) with a
// CDP trace running, and prints the renderer main thread's CPU time (the
// trace's thread time, which load on a shared machine barely changes) from
// navigation to the first rows painted, by event; with VERBOSE=1 each
// task with its largest events too.
//   APP_URL=http://127.0.0.1:PORT/ RUNS=5 node bench/trace-start.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const URL = process.env.APP_URL;
const RUNS = Number(process.env.RUNS || 5);
if (!URL) throw new Error('trace-start: APP_URL is not set');
const ROWS = '[data-testid="conversation-list"] [role="option"]';

// Events whose (inclusive) CPU time is summed by name.
const NAMES = ['ParseHTML', 'v8.compileModule', 'v8.evaluateModule', 'v8.produceModuleCache', 'RunMicrotasks', 'TimerFire', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'Paint'];

async function once(record) {
  const profile = mkdtempSync(join(tmpdir(), 'tidings-trace-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.addInitScript((sel) => {
      window.__rows = 0;
      const mo = new MutationObserver(() => {
        if (!document.querySelector(sel)) return;
        mo.disconnect();
        window.__dom = performance.now();
        requestAnimationFrame(() => setTimeout(() => (window.__rows = performance.now())));
      });
      mo.observe(document, { childList: true, subtree: true });
    }, ROWS);
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,loading,v8.execute,v8',
      transferMode: 'ReportEvents',
    });
    await page.goto(URL);
    await page.waitForFunction(() => window.__rows > 0);
    const marks = await page.evaluate(() => ({ dom: window.__dom, rows: window.__rows }));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    if (!record) return null;
    return analyse(events, marks);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function analyse(events, marks) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const nav = events.filter((e) => e.name === 'navigationStart').map((e) => e.ts).sort((a, b) => b - a)[0];
  const end = nav + marks.rows * 1000;
  const main = events
    .filter((e) => e.ph === 'X' && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.ts >= nav && e.ts <= end)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = main.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const cpu = (e) => (e.tdur ?? e.dur) / 1000;
  const total = tasks.reduce((a, t) => a + cpu(t), 0);
  const by = Object.fromEntries(NAMES.map((n) => [n, 0]));
  for (const e of main) if (e.name in by) by[e.name] += cpu(e);
  by.tdur = main.some((e) => e.tdur !== undefined) ? 1 : 0;
  if (process.env.VERBOSE) {
    for (const t of tasks.filter((t) => t.dur > 2000)) {
      const inner = main.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 1500 && !/RunTask/.test(e.name));
      const top = inner.sort((a, b) => b.dur - a.dur).slice(0, 5).map((e) => `${e.name} ${(e.dur / 1000).toFixed(1)}`);
      console.log(`  ${((t.ts - nav) / 1000).toFixed(0).padStart(5)} +${(t.dur / 1000).toFixed(1).padStart(5)} ms (cpu ${cpu(t).toFixed(1)})  ${top.join(' | ')}`);
    }
  }
  return { dom: marks.dom, rows: marks.rows, cpu: total, ...by };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

await once(false); // warms the Go side's caches
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once(true));
const keys = Object.keys(runs[0]);
console.log(`main thread from navigation to first rows painted, medians of ${RUNS} fresh profiles (ms; dom/rows are wall time, the rest CPU time, inclusive by event):`);
console.log('  ' + keys.map((k) => `${k} ${median(runs.map((r) => r[k])).toFixed(1)}`).join(' | '));
