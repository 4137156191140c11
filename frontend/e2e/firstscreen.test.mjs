// The first screen in real Chromium against the dev-tagged binary: the first
// page of the list comes with the page (/tidings/boot.json, app/boot.go) and
// is drawn as the Open view, before the bindings are needed; the list's
// dates are formatted lazily (the exact date only for the row under the
// pointer). Read-only on the demo workspace. Run by scripts/e2e-browser.sh
// (APP_URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, need } from './helpers.mjs';

const APP_URL = need('APP_URL');
const ROWS = '[data-testid="conversation-list"] [role="option"]';

describe('first screen', () => {
  let browser;
  let page;
  const boots = [];

  before(async () => {
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
    page.on('response', async (r) => {
      if (new URL(r.url()).pathname === '/tidings/boot.json') boots.push({ status: r.status(), body: await r.json().catch(() => null) });
    });
    await page.goto(APP_URL);
    await page.waitForSelector(ROWS);
  });

  after(async () => {
    await browser?.close();
  });

  test('the first page comes with the page and is what the list draws', async () => {
    assert.ok(boots.length >= 1, 'the page never asked for /tidings/boot.json');
    const boot = boots[0];
    assert.equal(boot.status, 200);
    assert.equal(boot.body.view, 'status:open');
    assert.ok(boot.body.list.length > 0, 'the demo has open conversations');
    const loaded = await page.getAttribute('[data-testid="conversation-list"]', 'data-loaded-view');
    assert.equal(loaded, 'status:open');
    const drawn = await page.locator(ROWS).evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.deepEqual(drawn, boot.body.list.slice(0, drawn.length).map((c) => c.id));
    // The page got its first page before it needed the bindings.
    const order = await page.evaluate(() => {
      const t = (n) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
      const res = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/tidings/boot.json'));
      return { script: t('tidings:script'), list: t('tidings:list'), boot: res ? res.responseEnd : -1 };
    });
    assert.ok(order.boot > 0 && order.list >= order.boot, `first page answered at ${order.boot} ms, in hand at ${order.list} ms`);
  });

  test('the exact date is the tooltip of the row under the pointer only', async () => {
    const when = page.locator(`${ROWS} time.when`);
    assert.equal(await when.first().getAttribute('title'), null, 'a tooltip before any hover');
    await when.first().hover();
    const title = await when.first().getAttribute('title');
    assert.match(title ?? '', /\d{4}/, `tooltip: ${title}`);
    assert.equal(await page.locator(`${ROWS} time.when[title]`).count(), 1);
    // Relative dates are drawn for every row.
    const texts = await when.allTextContents();
    assert.ok(texts.every((s) => s.trim() !== ''), `empty dates in ${JSON.stringify(texts)}`);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
