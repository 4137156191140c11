// Long-frame anatomy (a development aid next to ui-speed.mjs): scrolls the
// list the way ui-speed.mjs does (1,400 px a frame through 5,000 rows), in a
// fresh page per run, with a CDP trace running, then the static control the
// same way in the same browser, and prints the main thread's CPU time per
// frame (the trace's thread time, which a loaded machine stretches far less
// than wall time) split by category (script, gc, style, layout, paint,
// commit), its percentiles, and the frames that cost most with their
// largest events. Frame boundaries are the scroll's own
// requestAnimationFrame callbacks (performance.mark('bench:frame')).
//   APP_URL=http://127.0.0.1:PORT/ RUNS=3 node bench/scroll-trace.mjs
//   APP_URLS=url1,url2   two dev servers on two builds, scrolled in turn in
//                        every run: an A/B under the same load
//   QUIET=1              only the summaries; LONG=ms the long-frame bound
//   CATS=...             trace categories (the default includes v8.execute
//                        for script attribution; lighter: devtools.timeline,
//                        blink.user_timing)
//   NAMES=1              self time per frame by event (and function)
//   GCLOG=1              every GC event over 1 ms, with its reason
//   PROFILE=1            JavaScript CPU profile, self time per frame
//   HEAP=1               sampled allocations over the scroll, by function
//   METRICS=1            Chromium's page counters instead of a trace
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// APP_URLS (comma-separated, e.g. two dev servers on two builds) are
// scrolled in turn in every run: an A/B taken under the same load.
const URLS = (process.env.APP_URLS || process.env.APP_URL || '').split(',').filter(Boolean);
const RUNS = Number(process.env.RUNS || 3);
const ROWS = Number(process.env.SCROLL_ROWS || 5000);
const LONG = Number(process.env.LONG || 20);
const QUIET = !!process.env.QUIET;
if (!URLS.length) throw new Error('scroll-trace: APP_URL is not set');
const LIST = '[data-testid="conversation-list"]';

// The scroll of ui-speed.mjs, with a user-timing mark at each frame.
function scrollList({ list, rows, step }) {
  return new Promise((resolve) => {
    const el = document.querySelector(list);
    const frames = [];
    let last = performance.now();
    const t0 = last;
    let stuck = 0;
    const tick = (now) => {
      performance.mark('bench:frame');
      frames.push(now - last);
      last = now;
      const before = el.scrollTop;
      el.scrollTop = Math.min(before + step, el.scrollHeight - el.clientHeight);
      const reached = Math.floor(el.scrollTop / 72);
      stuck = el.scrollTop === before ? stuck + 1 : 0;
      if (reached >= rows || now - t0 > 30000 || stuck > 120) {
        resolve({ frames: frames.slice(1), reached });
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

function controlPage(rows) {
  const html = Array.from({ length: rows + 20 }, (_, i) => `<div role="option" style="height:72px;border-bottom:1px solid #ddd;font:14px sans-serif;padding:8px">Customer ${i}<br>Subject line ${i}</div>`).join('');
  return `<div data-testid="conversation-list" data-count="${rows}" style="height:700px;overflow:auto">${html}</div>`;
}

async function traced(cdp, fn) {
  if (process.env.METRICS) return metered(cdp, fn);
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    categories: process.env.CATS || 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing,toplevel,v8.execute,cc,disabled-by-default-devtools.timeline.frame',
    transferMode: 'ReportEvents',
  });
  const result = await fn();
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', onData);
  return { result, events };
}

// metered runs fn with Chromium's page counters (CDP Performance.getMetrics)
// instead of a trace: no tracing overhead; prints their growth per frame.
async function metered(cdp, fn) {
  await cdp.send('Performance.enable');
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
  const a = await read();
  const result = await fn();
  const b = await read();
  const n = Math.max(1, result.frames.length);
  const d = (k) => (((b[k] - a[k]) * 1000) / n).toFixed(2);
  process.stderr.write(`  per frame ms: style ${d('RecalcStyleDuration')} layout ${d('LayoutDuration')} script ${d('ScriptDuration')} task ${d('TaskDuration')}; counts: style ${((b.RecalcStyleCount - a.RecalcStyleCount) / n).toFixed(2)} layout ${((b.LayoutCount - a.LayoutCount) / n).toFixed(2)}; heap ${(b.JSHeapUsedSize / 1e6).toFixed(1)} MB\n`);
  return { result, events: [] };
}

function stats(frames) {
  const s = [...frames].sort((a, b) => a - b);
  return {
    frames: s.length,
    over20: s.filter((d) => d > 20).length,
    over17: s.filter((d) => d > 16.7).length,
    p95: s[Math.floor(s.length * 0.95)] ?? 0,
    max: s[s.length - 1] ?? 0,
  };
}

// Categories of the main thread's self time, by trace event name.
const CATS = [
  ['script', /^(FunctionCall|EventDispatch|FireAnimationFrame|RunMicrotasks|TimerFire|v8\.|V8\.Execute|EvaluateScript|ParseHTML|XHR|v8.callFunction|AsyncTask|BlinkScheduler_PerformMicrotaskCheckpoint)/],
  ['gc', /(GC|Gc|Scavenge|Sweep|Mark)/],
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|Document::updateStyle)/],
  ['layout', /^(Layout|UpdateLayerTree|LocalFrameView::RunStyleAndLayout)/],
  ['prepaint', /PrePaint/],
  ['paint', /^(Paint|LocalFrameView::RunPaint|Blink\.Paint)/],
  ['commit', /(Commit|pushPaintArtifact|Layerize)/],
];
const catOf = (name) => (CATS.find(([, re]) => re.test(name)) || ['other'])[0];

// anatomy splits the main thread's self time (thread CPU where the trace
// has it) over the scroll's frames by category, and prints the frames over
// LONG ms with theirs: what a long frame spent that a short one did not.
function anatomy(what, events) {
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const markEv = events.filter((e) => e.name === 'bench:frame');
  if (!markEv.length) return null;
  const marks = markEv.map((e) => e.ts).sort((a, b) => a - b);
  const mainKey = `${markEv[0].pid}:${markEv[0].tid}`;
  const pid = markEv[0].pid;
  const xs = events.filter((e) => e.ph === 'X' && e.dur !== undefined && `${e.pid}:${e.tid}` === mainKey).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  if (process.env.GCLOG) {
    for (const e of xs) if (/^(MajorGC|MinorGC|V8.GCFinalizeMC|V8.GCIncrementalMarking|BlinkGC|V8.GC_MC_INCREMENTAL_FINALIZE)/.test(e.name) && e.dur > 1000)
      process.stderr.write(`    gc ${e.name} ${(e.dur / 1000).toFixed(1)} ms (cpu ${((e.tdur ?? e.dur) / 1000).toFixed(1)}) at frame ${marks.findIndex((m) => m > e.ts) - 1} ${JSON.stringify(e.args?.data ?? e.args ?? {}).slice(0, 160)}\n`);
  }
  // Self time per event (its duration less its children's).
  const self = [];
  const stack = [];
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const rec = { e, self: e.dur, selfCpu: e.tdur ?? e.dur };
    if (stack.length) {
      const p = stack[stack.length - 1];
      p.self -= e.dur;
      p.selfCpu -= e.tdur ?? e.dur;
    }
    stack.push(rec);
    self.push(rec);
  }
  // Frame i spans marks[i]..marks[i+1]; an event counts in the frame its start falls in.
  const nf = marks.length - 1;
  const per = Array.from({ length: nf }, () => ({}));
  const perNames = Array.from({ length: nf }, () => new Map());
  let fi = 0;
  const names = new Map();
  for (const r of self) {
    while (fi < nf && r.e.ts >= marks[fi + 1]) fi++;
    if (fi >= nf) break;
    if (r.e.ts < marks[0]) continue;
    const c = catOf(r.e.name);
    if (process.env.NAMES) {
      const d = r.e.args?.data || {};
      const key = `${c} ${r.e.name}${d.functionName !== undefined ? ` ${d.functionName || '?'}@${(d.url || '').split('/').pop()}:${d.lineNumber}` : ''}${d.type ? ` ${d.type}` : ''}`;
      names.set(key, (names.get(key) || 0) + Math.max(0, r.selfCpu) / 1000);
    }
    per[fi][c] = (per[fi][c] || 0) + Math.max(0, r.selfCpu) / 1000;
    {
      const d = r.e.args?.data || {};
      const key = `${r.e.name}${d.functionName !== undefined ? ` ${d.functionName || '?'}@${(d.url || '').split('/').pop()}:${d.lineNumber}` : ''}${d.type ? ` ${d.type}` : ''}`;
      perNames[fi].set(key, (perNames[fi].get(key) || 0) + Math.max(0, r.selfCpu) / 1000);
    }
  }
  // Other threads of the renderer (compositor, raster): busy CPU per frame.
  const other = Array.from({ length: nf }, () => 0);
  for (const e of events) {
    if (e.ph !== 'X' || e.pid !== pid || `${e.pid}:${e.tid}` === mainKey || !e.dur) continue;
    const th = threads.get(`${e.pid}:${e.tid}`) || '';
    if (!/Raster|TileWorker|Compositor/.test(th)) continue;
    if (e.name !== 'RasterTask' && e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'TaskGraphRunner::RunTask') continue;
    let k = marks.findIndex((m, j) => j < nf && e.ts >= m && e.ts < marks[j + 1]);
    if (k >= 0) other[k] += (e.tdur ?? e.dur) / 1000;
  }
  const durs = marks.slice(1).map((m, i) => (m - marks[i]) / 1000);
  const cats = [...CATS.map((c) => c[0]), 'other'];
  const sum = (o) => cats.reduce((a, c) => a + (o[c] || 0), 0);
  const fmt = (o) => cats.filter((c) => (o[c] || 0) >= 0.05).map((c) => `${c} ${(o[c] || 0).toFixed(1)}`).join(', ');
  // Skip the first frame (warm-up).
  const rows = per.map((o, i) => ({ i, d: durs[i], o, cpu: sum(o), other: other[i] })).slice(1);
  const avg = {};
  for (const c of cats) avg[c] = rows.reduce((a, r) => a + (r.o[c] || 0), 0) / rows.length;
  const byCpu = [...rows].sort((a, b) => a.cpu - b.cpu);
  const q = (p) => byCpu[Math.min(byCpu.length - 1, Math.floor(byCpu.length * p))].cpu;
  process.stderr.write(`  ${what}: main-thread CPU per frame mean ${sum(avg).toFixed(2)} ms (${fmt(avg)}); p50 ${q(0.5).toFixed(1)} p90 ${q(0.9).toFixed(1)} p99 ${q(0.99).toFixed(1)} max ${byCpu[byCpu.length - 1].cpu.toFixed(1)}; raster+compositor ${(rows.reduce((a, r) => a + r.other, 0) / rows.length).toFixed(2)} ms/frame\n`);
  if (process.env.NAMES) for (const [n, ms] of [...names].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stderr.write(`    ${(ms / nf).toFixed(2).padStart(6)} ms/frame  ${n}\n`);
  if (!QUIET) {
    for (const r of byCpu.slice(-6).reverse()) {
      const top = [...perNames[r.i]].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join('; ');
      process.stderr.write(`    top CPU frame ${r.i}: ${r.d.toFixed(1)} ms wall, main CPU ${r.cpu.toFixed(1)} (${fmt(r.o)}) [${top}]\n`);
    }
    for (const r of rows.filter((r) => r.d > LONG)) process.stderr.write(`    long frame ${r.i}: ${r.d.toFixed(1)} ms wall, main CPU ${r.cpu.toFixed(1)} (${fmt(r.o)}), raster+comp ${r.other.toFixed(1)}\n`);
  }
  return { mean: sum(avg), avg, p90: q(0.9), max: byCpu[byCpu.length - 1].cpu };
}

// printProfile writes the functions with the most self time, per frame.
function printProfile(profile, frames) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, k) => {
    const cf = byId.get(id).callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[k] || 0));
  });
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    process.stderr.write(`  ${(us / 1000 / frames).toFixed(3).padStart(7)} ms/frame  ${key}\n`);
  }
}

// printHeap writes where the scroll allocated (sampled, including what
// the GC already collected), by function, self size.
function printHeap(profile) {
  const by = new Map();
  const name = (cf) => `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
  const walk = (n, parent) => {
    const key = `${name(n.callFrame)}${n.callFrame.url ? '' : ` < ${parent}`}`;
    by.set(key, (by.get(key) || 0) + n.selfSize);
    for (const c of n.children) walk(c, name(n.callFrame));
  };
  walk(profile.head, '');
  const sum = [...by.values()].reduce((a, b) => a + b, 0);
  process.stderr.write(`  allocated (sampled) ${(sum / 1e6).toFixed(1)} MB over the scroll:\n`);
  for (const [key, b] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stderr.write(`  ${(b / 1e6).toFixed(2).padStart(7)} MB  ${key}\n`);
}

const profile = mkdtempSync(join(tmpdir(), 'tidings-strace-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const all = { control: [] };
URLS.forEach((u, k) => (all[`app${k}`] = []));
try {
  for (let r = 1; r <= RUNS; r++) {
   for (const [k, url] of URLS.entries()) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid="message"]', { timeout: 30000 });
    await page.waitForTimeout(1000);
    const cdp = await context.newCDPSession(page);
    if (process.env.HEAP) {
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    }
    if (process.env.PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const { result, events } = await traced(cdp, () => page.evaluate(scrollList, { list: LIST, rows: ROWS, step: 1400 }));
    if (process.env.PROFILE) printProfile((await cdp.send('Profiler.stop')).profile, result.frames.length);
    if (process.env.HEAP) printHeap((await cdp.send('HeapProfiler.stopSampling')).profile);
    const s = stats(result.frames);
    process.stderr.write(`run ${r} app${k}: ${JSON.stringify(s)} reached ${result.reached}\n`);
    all[`app${k}`].push({ ...s, cpu: anatomy(`app${k}`, events) });
    await page.close();
   }

    const cpage = await context.newPage();
    await cpage.setContent(controlPage(ROWS));
    const ccdp = await context.newCDPSession(cpage);
    const c = await traced(ccdp, () => cpage.evaluate(scrollList, { list: LIST, rows: ROWS, step: 1400 }));
    const cs = stats(c.result.frames);
    process.stderr.write(`run ${r} control: ${JSON.stringify(cs)}\n`);
    all.control.push({ ...cs, cpu: anatomy('control', c.events) });
    await cpage.close();
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
for (const k of Object.keys(all)) {
  const xs = all[k];
  console.log(`${k}: over20 ${xs.map((x) => x.over20).join(',')} (median ${med(xs.map((x) => x.over20))}), over16.7 ${xs.map((x) => x.over17).join(',')}, p95 ${med(xs.map((x) => x.p95)).toFixed(1)}, max ${xs.map((x) => x.max.toFixed(0)).join(',')}; main CPU/frame ${xs.map((x) => x.cpu?.mean.toFixed(2)).join(',')} p90 ${xs.map((x) => x.cpu?.p90.toFixed(1)).join(',')}`);
}
