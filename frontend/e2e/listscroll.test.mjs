// The virtualized list on a store of 1,500 conversations (backend/benchdata),
// in real Chromium against the dev-tagged binary: scrolling recycles the
// rows' elements (no element is created; each drawn row shows the
// conversation at its position), and the cursor, the checked rows and the
// keyboard focus stay on their conversations while the elements that drew
// them draw others: click, j/k, ctrl-click and the checkbox before and after
// scrolling away and back; "Loading more" shows only while the user waits. Run by scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launch, serveDev } from './helpers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.TIDINGS_DEV_BIN || join(root, 'build/bin/tidings-dev');
const DIST = join(root, 'frontend/dist');
const LIST = '[data-testid="conversation-list"]';
const ROWS = `${LIST} [role="option"]`;
const ROW_H = 72;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

/** scrollTo puts row index at the top of the list and waits until it is drawn. */
async function scrollTo(page, index) {
  await page.evaluate(
    ({ list, top }) => {
      document.querySelector(list).scrollTop = top;
    },
    { list: LIST, top: index * ROW_H },
  );
  await page.waitForSelector(`${ROWS}[aria-posinset="${index + 1}"]`);
}

/** drawn lists the drawn rows in screen order: position, id, state. */
function drawn(page) {
  return page.locator(ROWS).evaluateAll((els) =>
    els
      .map((e) => ({
        pos: Number(e.getAttribute('aria-posinset')),
        id: e.dataset.id,
        top: e.getBoundingClientRect().top,
        current: e.classList.contains('current'),
        selected: e.getAttribute('aria-selected') === 'true',
        checked: e.querySelector('input[type="checkbox"]').checked,
      }))
      .sort((a, b) => a.pos - b.pos),
  );
}

describe('virtualized list', () => {
  let dir;
  let server;
  let browser;
  let page;
  let order; // the Open view's first 300 conversations, in order

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-e2e-list-'));
    run('go', ['build', '-o', join(dir, 'bench-ui-data'), './backend/benchdata/cmd/bench-ui-data'], { cwd: root });
    run(join(dir, 'bench-ui-data'), ['-data', join(dir, 'data'), '-n', '1500']);
    server = await serveDev(BIN, DIST, { ...process.env, HOME: dir, DBUS_SESSION_BUS_ADDRESS: 'disabled:', TIDINGS_DATA: join(dir, 'data') });
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(server.url);
    await page.waitForSelector(`${ROWS}[aria-selected="true"]`);
    await page.waitForSelector('[data-testid="message"]');
    order = await page.evaluate(async () => (await window.go.app.Inbox.Conversations({ status: 'open', limit: 300 })).map((c) => c.id));
    assert.ok(order.length >= 150, `want at least 150 open conversations, got ${order.length}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('scrolling recycles the row elements and draws the right rows', async () => {
    // Mark every row element; after scrolling, the rows drawn are the same
    // elements, each showing the conversation at its position.
    const before = await page.locator(ROWS).evaluateAll((els) => els.map((e, i) => ((e.__mark = i + 1), e.dataset.id)));
    assert.ok(before.length >= 12, `${before.length} rows drawn`);
    for (const i of [5, 19, 40, 77, 120]) await scrollTo(page, i);
    const marks = await page.locator(ROWS).evaluateAll((els) => els.map((e) => e.__mark ?? 0));
    assert.equal(marks.length, before.length, 'the number of row elements changed');
    assert.ok(marks.every((m) => m > 0), `new row elements were created: ${JSON.stringify(marks)}`);
    const rows = await drawn(page);
    for (const r of rows) assert.equal(r.id, order[r.pos - 1], `row ${r.pos} shows ${r.id}, want ${order[r.pos - 1]}`);
    // Screen order follows the positions, one row height apart.
    for (let k = 1; k < rows.length; k++) {
      assert.equal(rows[k].pos, rows[k - 1].pos + 1);
      assert.equal(Math.round(rows[k].top - rows[k - 1].top), ROW_H);
    }
    await scrollTo(page, 0);
  });

  test('the cursor stays on its conversation while its element draws others', async () => {
    const pick = order[2];
    await page.click(`${ROWS}[data-id="${pick}"]`);
    await page.waitForSelector(`${ROWS}[data-id="${pick}"][aria-selected="true"].current`);
    const list = page.locator(LIST);
    // The list, not a row, holds the focus, and points at the current row.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'conversation-list');
    assert.equal(await list.getAttribute('aria-activedescendant'), `row-${pick}`);

    await scrollTo(page, 100);
    const far = await drawn(page);
    assert.ok(!far.some((r) => r.id === pick));
    assert.deepEqual(far.filter((r) => r.current || r.selected), [], 'a recycled element still shows the cursor');
    assert.equal(await list.getAttribute('aria-activedescendant'), null);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'conversation-list');

    await scrollTo(page, 0);
    const back = await drawn(page);
    assert.deepEqual(back.filter((r) => r.current).map((r) => r.id), [pick]);
    assert.equal(await list.getAttribute('aria-activedescendant'), `row-${pick}`);

    // j moves from the cursor, not from what an element drew meanwhile.
    await page.keyboard.press('j');
    await page.waitForSelector(`${ROWS}[data-id="${order[3]}"][aria-selected="true"]`);
    await page.keyboard.press('k');
    await page.waitForSelector(`${ROWS}[data-id="${order[2]}"][aria-selected="true"]`);
  });

  test('j/k walk past the recycled rows and keep the cursor in view', async () => {
    await page.click(`${ROWS}[data-id="${order[0]}"]`);
    await page.waitForSelector(`${ROWS}[data-id="${order[0]}"][aria-selected="true"]`);
    for (let k = 0; k < 40; k++) await page.keyboard.press('j');
    const want = order[40];
    const sel = `${ROWS}[data-id="${want}"][aria-selected="true"]`;
    await page.waitForSelector(sel);
    const [row, box] = await Promise.all([page.locator(sel).boundingBox(), page.locator(LIST).boundingBox()]);
    assert.ok(row.y >= box.y - 1 && row.y + row.height <= box.y + box.height + 1, `row at ${row.y}, list ${box.y}..${box.y + box.height}`);
    const rows = await drawn(page);
    assert.deepEqual(rows.filter((r) => r.current).map((r) => r.id), [want]);
    for (let k = 0; k < 40; k++) await page.keyboard.press('k');
    await page.waitForSelector(`${ROWS}[data-id="${order[0]}"][aria-selected="true"]`);
  });

  test('checked rows stay checked, and only they, across scrolling', async () => {
    await scrollTo(page, 0);
    const a = order[1];
    const b = order[3];
    await page.click(`${ROWS}[data-id="${a}"]`, { modifiers: ['Control'] });
    // The checkbox itself: it checks the row and leaves the focus with the list.
    await page.click(`${ROWS}[data-id="${b}"] input[type="checkbox"]`);
    await page.waitForSelector('[data-testid="bulk-bar"]:has-text("2 selected")');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'conversation-list');

    await scrollTo(page, 60);
    const far = await drawn(page);
    assert.deepEqual(far.filter((r) => r.checked).map((r) => r.id), [], 'a recycled element still shows a check');
    await scrollTo(page, 0);
    const back = await drawn(page);
    assert.deepEqual(back.filter((r) => r.checked).map((r) => r.id).sort(), [a, b].sort());
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="bulk-bar"]', { state: 'detached' });
  });

  test('says it is loading more only while the user waits at the end of what is loaded, over the list', async () => {
    await scrollTo(page, 0);
    // Hold the next page back (the binding is looked up at every call).
    await page.evaluate(() => {
      const inbox = window.go.app.Inbox;
      const orig = inbox.Conversations;
      window.__held = [];
      inbox.Conversations = (...a) => new Promise((res) => window.__held.push(() => res(orig(...a))));
      window.__release = () => {
        inbox.Conversations = orig;
        for (const r of window.__held.splice(0)) r();
      };
    });
    const more = page.locator('[data-testid="list-more"]');
    const loaded = Number(await page.locator(LIST).getAttribute('data-count'));
    const height = await page.evaluate((l) => document.querySelector(l).scrollHeight, LIST);
    assert.equal(height, loaded * ROW_H, 'the list is as tall as its rows');
    // Rows left to read while the next page is on its way: nothing shown.
    await scrollTo(page, loaded - 150);
    await page.waitForFunction(() => window.__held.length > 0);
    assert.equal(await more.isVisible(), false, 'shown while rows were left to read');
    // At the end of what is loaded, waiting: shown, over the list's foot,
    // and the list keeps its height.
    await page.evaluate((l) => {
      const el = document.querySelector(l);
      el.scrollTop = el.scrollHeight;
    }, LIST);
    await more.waitFor({ state: 'visible' });
    const [m, l] = await Promise.all([more.boundingBox(), page.locator(LIST).boundingBox()]);
    assert.ok(Math.abs(m.y + m.height - (l.y + l.height)) <= 1, `notice at ${m.y}..${m.y + m.height}, list ends at ${l.y + l.height}`);
    assert.equal(await page.evaluate((l) => document.querySelector(l).scrollHeight, LIST), height, 'the notice changed the scroll height');
    // The page arrives: the notice goes, the rows follow.
    await page.evaluate(() => window.__release());
    await more.waitFor({ state: 'hidden' });
    assert.ok(Number(await page.locator(LIST).getAttribute('data-count')) > loaded);
    await scrollTo(page, 0);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
