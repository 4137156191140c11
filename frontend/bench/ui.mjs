// The window's speed on a large store (not a test: it prints figures).
// Run by scripts/bench-ui.sh with APP_URL (the dev binary's dev server on a
// store of N conversations) and APP_PID (that binary, for its memory).
//   first list painted: navigation start to the first row drawn (median of 5 loads)
//   conversation opened: click to subject and messages drawn (median, p95 of 30)
//   scrolling: frame intervals while scrolling 3,000 rows and paging in more
import { readFileSync } from 'node:fs';
import { launch } from '../e2e/helpers.mjs';

const url = process.env.APP_URL;
const pid = process.env.APP_PID;
if (!url) throw new Error('bench: APP_URL is not set; run scripts/bench-ui.sh');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};
const rss = () => {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
// Private memory: without the shared GTK and WebKit libraries.
const priv = () => {
  if (!pid) return NaN;
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  let kb = 0;
  for (const m of text.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)) kb += Number(m[1]);
  return kb / 1024;
};

const browser = await launch();
const page = await browser.context.newPage();
page.setDefaultTimeout(60000);

// First list painted.
const paints = [];
for (let i = 0; i < 5; i++) {
  await page.goto(url);
  await page.waitForSelector('[role="option"]');
  paints.push(
    await page.evaluate(
      () =>
        new Promise((r) => {
          const seen = performance.now();
          requestAnimationFrame(() => r(Math.max(seen, performance.now())));
        }),
    ),
  );
}
const total = await page.evaluate(async () => (await window.go.app.Inbox.Overview()).statuses.all.total);
await page.click('[data-view="all"]');
await page.waitForSelector('[data-view="all"][aria-current="page"]');
await page.waitForSelector('[role="option"]');

// Conversation opened.
const opens = [];
for (let i = 0; i < 30; i++) {
  opens.push(
    await page.evaluate(async (i) => {
      const pane = document.querySelector('[data-testid="conversation"]');
      const rows = [...document.querySelectorAll('[role="option"]')].filter((r) => r.dataset.id !== pane.dataset.threadId);
      const row = rows[(i * 3) % rows.length];
      const want = row.dataset.id;
      const t0 = performance.now();
      row.click();
      await new Promise((r) => {
        const check = () => {
          const p = document.querySelector('[data-testid="conversation"]');
          if (p?.dataset.threadId === want && p.querySelector('[data-testid="message"]')) r();
          else requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    }, i),
  );
}

// Scrolling: 30 px per frame down 3,000 rows (72 px each), paging in more.
const scroll = await page.evaluate(async () => {
  const sc = document.querySelector('[data-testid="conversation-list"]');
  sc.scrollTop = 0;
  const target = 3000 * 72;
  const frames = [];
  let last = performance.now();
  const maxDrawn = { n: 0 };
  await new Promise((r) => {
    const step = (ts) => {
      frames.push(ts - last);
      last = ts;
      maxDrawn.n = Math.max(maxDrawn.n, sc.querySelectorAll('[role="option"]').length);
      if (sc.scrollTop >= target - sc.clientHeight || frames.length > 20000) return r();
      sc.scrollTop += 240;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  return { frames: frames.slice(1), loaded: Number(sc.dataset.count), drawn: maxDrawn.n };
});
const long = scroll.frames.filter((f) => f > 25).length;

const lines = [
  `conversations in the store      ${total}`,
  `first list painted (median/5)   ${median(paints).toFixed(0)} ms after navigation start (dev server, websocket bindings)`,
  `conversation opened (median/30) ${median(opens).toFixed(1)} ms, p95 ${pct(opens, 95).toFixed(1)} ms`,
  `scrolling ${scroll.frames.length} frames          p50 ${median(scroll.frames).toFixed(1)} ms, p95 ${pct(scroll.frames, 95).toFixed(1)} ms, ${long} frames over 25 ms (${((100 * long) / scroll.frames.length).toFixed(1)}%)`,
  `rows loaded / most rows drawn   ${scroll.loaded} / ${scroll.drawn}`,
  `Go process resident memory      ${rss().toFixed(0)} MB, private ${priv().toFixed(0)} MB (dev binary, after the run)`,
];
console.log(lines.join('\n'));
await browser.close();
