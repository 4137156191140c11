// What the virtualized list's rows show (lib/listRows.drawRow writes them
// into recycled elements), on a store of 1,500 conversations
// (backend/benchdata), in real Chromium against the dev-tagged binary:
// after a fast scroll (the speed benchmark's 1,400 px a frame) and after
// scrolling back, every drawn row shows its own conversation's name,
// channel, time, subject, preview, labels and unread state, no element is
// created or removed while scrolling, the rows drawn lie around the screen
// (a few ahead of the scroll, one behind), and the cursor and a checked row
// show on their conversations only. Run by scripts/e2e-browser.sh.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, DIST, goBuild, launch, run, serveDev, suiteDir } from './helpers.mjs';

const LIST = '[data-testid="conversation-list"]';
const ROWS = `${LIST} [role="option"]`;
const ROW_H = 72;

/** shown reads every drawn row: position and what it shows. */
function shown(page) {
  return page.locator(ROWS).evaluateAll((els) =>
    els
      .map((e) => ({
        pos: Number(e.getAttribute('aria-posinset')),
        id: e.dataset.id,
        domID: e.id,
        who: e.querySelector('.who').textContent,
        channel: e.querySelector('[data-channel]').getAttribute('data-channel'),
        channelName: e.querySelector('[data-channel]').getAttribute('aria-label'),
        at: e.querySelector('time').getAttribute('datetime'),
        when: e.querySelector('time').textContent,
        subject: e.querySelector('.subject').textContent,
        preview: e.querySelector('.line3').textContent,
        labels: [...e.querySelectorAll('.label-chip')].filter((c) => !c.hidden).map((c) => c.textContent),
        unread: e.classList.contains('unread'),
        current: e.classList.contains('current'),
        selected: e.getAttribute('aria-selected'),
        checked: e.querySelector('input[type="checkbox"]').checked,
        top: e.getBoundingClientRect().top,
      }))
      .sort((a, b) => a.pos - b.pos),
  );
}

/** fastScroll moves the list's scrollTop by step px a frame for frames
 * frames, counting the elements added to or removed from the list. */
function fastScroll(page, step, frames) {
  return page.evaluate(
    ({ list, step, frames }) =>
      new Promise((resolve) => {
        const el = document.querySelector(list);
        let changed = 0;
        const mo = new MutationObserver((recs) => {
          for (const r of recs) for (const n of [...r.addedNodes, ...r.removedNodes]) if (n.nodeType === 1) changed++;
        });
        mo.observe(el, { childList: true, subtree: true });
        let n = 0;
        const tick = () => {
          el.scrollTop += step;
          if (++n < frames) requestAnimationFrame(tick);
          else requestAnimationFrame(() => requestAnimationFrame(() => (mo.disconnect(), resolve(changed))));
        };
        requestAnimationFrame(tick);
      }),
    { list: LIST, step, frames },
  );
}

describe('list rows after recycling', () => {
  let suite;
  let server;
  let browser;
  let page;
  let byID; // the Open view's first conversations by id, with their order

  before(async () => {
    suite = suiteDir('listdraw');
    const data = goBuild('./backend/benchdata/cmd/bench-ui-data', suite.dir);
    run(data, ['-data', join(suite.dir, 'data'), '-n', '1500']);
    server = await serveDev(BIN, DIST, { ...suite.env, TIDINGS_DATA: join(suite.dir, 'data') });
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(server.url);
    await page.waitForSelector(`${ROWS}[aria-selected="true"]`);
    await page.waitForSelector('[data-testid="message"]');
    const convs = await page.evaluate(async () => await window.go.app.Inbox.Conversations({ status: 'open', limit: 600 }));
    assert.ok(convs.length >= 500, `want at least 500 open conversations, got ${convs.length}`);
    byID = new Map(convs.map((c, i) => [c.id, { ...c, pos: i + 1 }]));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    suite?.remove();
  });

  /** check asserts each drawn row shows its conversation, at its place. */
  async function check(where) {
    const rows = await shown(page);
    assert.ok(rows.length >= 12, `${where}: ${rows.length} rows drawn`);
    for (const r of rows) {
      const c = byID.get(r.id);
      assert.ok(c, `${where}: row ${r.pos} shows ${r.id}, not among the first conversations`);
      assert.equal(r.pos, c.pos, `${where}: ${r.id} at ${r.pos}, want ${c.pos}`);
      assert.equal(r.domID, `row-${c.id}`);
      assert.equal(r.who, c.contact.name, `${where}: row ${r.pos} name`);
      assert.equal(r.channel, c.channel);
      assert.ok(r.channelName.length > 0);
      assert.equal(r.at, c.last_message_at);
      assert.ok(r.when.length > 0, `${where}: row ${r.pos} has no time`);
      assert.equal(r.subject, c.subject || c.preview);
      assert.equal(r.preview, c.subject ? c.preview : '');
      assert.deepEqual(r.labels, c.labels.slice(0, 3), `${where}: row ${r.pos} labels`);
      assert.equal(r.unread, c.unread_count > 0, `${where}: row ${r.pos} unread`);
    }
    // Consecutive rows, one row height apart.
    for (let k = 1; k < rows.length; k++) {
      assert.equal(rows[k].pos, rows[k - 1].pos + 1, `${where}: rows ${rows[k - 1].pos} then ${rows[k].pos}`);
      assert.equal(Math.round(rows[k].top - rows[k - 1].top), ROW_H);
    }
    return rows;
  }

  test('after a fast scroll down and back up, every row shows its conversation', async () => {
    const first = await check('top');
    const n = first.length;
    const changed = await fastScroll(page, 1400, 20);
    assert.equal(changed, 0, 'elements were added or removed while scrolling');
    const down = await check('after scrolling down');
    assert.equal(down.length, n, 'the number of row elements changed');
    // The drawn rows lie around the screen: a few ahead of the scroll
    // (below), at most one behind (above).
    const top = await page.evaluate((l) => document.querySelector(l).scrollTop, LIST);
    const firstVisible = Math.floor(top / ROW_H) + 1;
    assert.ok(down[0].pos >= firstVisible - 1, `drawn from ${down[0].pos}, the screen from ${firstVisible}`);
    assert.ok(down[down.length - 1].pos > firstVisible + 8, `drawn to ${down[down.length - 1].pos} only`);

    await fastScroll(page, -700, 10);
    const up = await check('after scrolling up');
    const top2 = await page.evaluate((l) => document.querySelector(l).scrollTop, LIST);
    const firstVisible2 = Math.floor(top2 / ROW_H) + 1;
    // Scrolling up, the rows drawn beyond the screen are above it.
    assert.ok(up[0].pos < firstVisible2, `drawn from ${up[0].pos}, the screen from ${firstVisible2}`);
  });

  test('the cursor and a checked row show on their conversations only', async () => {
    await page.evaluate((l) => (document.querySelector(l).scrollTop = 0), LIST);
    await page.waitForSelector(`${ROWS}[aria-posinset="1"]`);
    const rows = await check('top again');
    const pick = rows[4].id;
    await page.click(`${ROWS}[data-id="${pick}"]`);
    await page.waitForSelector(`${ROWS}[data-id="${pick}"].current[aria-selected="true"]`);
    // Opened by a click, it is read: its row is no longer bold.
    await page.waitForSelector(`${ROWS}[data-id="${pick}"]:not(.unread)`);
    byID.get(pick).unread_count = 0;
    const other = rows[6].id;
    await page.click(`${ROWS}[data-id="${other}"]`, { modifiers: ['Control'] });
    await page.waitForSelector(`${ROWS}[data-id="${other}"] input:checked`);
    await fastScroll(page, 1400, 5);
    const far = await check('far');
    assert.deepEqual(far.filter((r) => r.current || r.selected === 'true' || r.checked), [], 'a recycled row still shows the cursor or a check');
    await page.evaluate((l) => (document.querySelector(l).scrollTop = 0), LIST);
    await page.waitForSelector(`${ROWS}[aria-posinset="1"]`);
    const back = await check('back');
    assert.deepEqual(back.filter((r) => r.current).map((r) => r.id), [pick]);
    assert.deepEqual(back.filter((r) => r.selected === 'true').map((r) => r.id), [pick]);
    assert.deepEqual(back.filter((r) => r.checked).map((r) => r.id), [other]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="bulk-bar"]', { state: 'detached' });
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
