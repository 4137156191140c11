// The export and restore dialogs on the hard paths, in real Chromium against
// the dev-tagged binary on a data directory of its own: an inbox of 3,000
// conversations (9,111 messages, backend/benchdata) exported to PDF is
// cancelled midway, which leaves the file already at that path untouched and
// no partial file behind, and frees the job for the next export; then a
// backup written by an older Tidings (schema version 1, made by
// backend/store/cmd/oldstore from backend/store/testdata/shop_v1.sql) is
// restored through the dialog, which says it is older, brings it up to
// date, and the window shows and searches what it held. Run by
// scripts/e2e-browser.sh (TIDINGS_BIN).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeDialog, goBuild, openDialog, ROOT, row, run, sidebarCount, startApp, suiteDir, view } from './helpers.mjs';

const CONVERSATIONS = 3000;

describe('export cancelled midway, and a backup from an older version restored', () => {
  let suite;
  let dir;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('archive-more');
    dir = suite.dir;
    mkdirSync(join(dir, 'out'));
    const gen = goBuild('./backend/benchdata/cmd/bench-ui-data', dir);
    const oldstore = goBuild('./backend/store/cmd/oldstore', dir);
    run(gen, ['-data', join(dir, 'data'), '-n', String(CONVERSATIONS)]);
    run(oldstore, ['-version', '1', '-seed', join(ROOT, 'backend/store/testdata/shop_v1.sql'), join(dir, 'tidings-v1.db')]);
    ({ server, browser, page } = await startApp(suite));
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.waitForSelector('[data-testid="data-actions"]');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    suite?.remove();
  });

  test('a PDF export cancelled midway keeps the old file and leaves no partial one', async () => {
    const out = join(dir, 'out', 'everything.pdf');
    writeFileSync(out, 'the export of last week');
    await openDialog(page, 'export');
    await page.check('[data-scope="all"]');
    await page.click('label:has([data-format="pdf"])');
    await page.fill('[data-testid="export-path"]', out);
    await page.waitForSelector('[data-testid="export-dialog"] :text("the export replaces it")');
    await page.click('[data-testid="export-start"]');
    // Some conversations written, far from all of them: cancel.
    const bar = '[data-testid="export-progress"] [role="progressbar"]';
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('aria-valuenow')) > 0, bar);
    const [done, total] = await page.$eval(bar, (p) => [Number(p.getAttribute('aria-valuenow')), Number(p.getAttribute('aria-valuemax'))]);
    assert.ok(done < total, `progress ${done} of ${total}: the export was finishing`);
    await page.click('[data-testid="export-progress-cancel"]');
    const err = await page.waitForSelector('[data-testid="export-error"]');
    assert.match(await err.textContent(), /cancelled; nothing was written to .*everything\.pdf/);
    assert.equal(await page.locator('[data-testid="export-result"]').count(), 0);
    // The file that was there is as it was; no partial file is left.
    assert.equal(readFileSync(out, 'utf8'), 'the export of last week');
    assert.deepEqual(readdirSync(join(dir, 'out')), ['everything.pdf']);

    // The job is free again: the same dialog exports to CSV to the end.
    await page.click('label:has([data-format="csv"])');
    await page.fill('[data-testid="export-path"]', join(dir, 'out', 'everything.csv'));
    await page.click('[data-testid="export-start"]');
    const line = await page.textContent('[data-testid="export-result"]');
    assert.match(line, /Exported 9,111 messages in 3,000 conversations/);
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['everything.csv', 'everything.pdf']);
    await closeDialog(page, 'export');
  });

  test('a backup made by schema version 1 is restored and brought up to date', async () => {
    await openDialog(page, 'restore');
    await page.fill('[data-testid="restore-path"]', join(dir, 'tidings-v1.db'));
    await page.click('[data-testid="restore-check"]');
    const plan = await page.textContent('[data-testid="restore-plan"]');
    assert.match(plan, /passed its checks/);
    assert.match(plan, /holds 2 conversations/);
    assert.match(plan, /from an older version of Tidings; it is brought up to date/);
    await page.click('[data-testid="restore-start"]');
    assert.match(await page.textContent('[data-testid="restore-result"]'), /previous inbox is kept at .*before-restore/);
    await page.waitForFunction(() => Number(document.querySelector('[data-count="all"]')?.textContent) === 2);
    await closeDialog(page, 'restore');

    // What the old version held, through today's window: the list, a
    // thread with its label and note, and the old search index.
    await view(page, 'all');
    await row(page, 'Gift voucher').waitFor();
    await row(page, 'Pedal wobble').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Pedal wobble")');
    await page.waitForSelector(':text("The left pedal wobbles since Saturday.")');
    await page.waitForSelector(':text("Sent a replacement pedal from stock.")');
    await page.click('[data-testid="search-input"]');
    await page.type('[data-testid="search-input"]', 'wobbles', { delay: 15 });
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="search-results"]');
      return r && r.dataset.query === 'wobbles' && r.dataset.loading === 'false';
    });
    assert.equal(Number(await page.getAttribute('[data-testid="search-results"]', 'data-count')), 1);
    assert.equal(await sidebarCount(page, 'all'), 2);
    // The backup file itself is left as it was: still version 1.
    const head = readFileSync(join(dir, 'tidings-v1.db')).subarray(0, 15).toString();
    assert.equal(head, 'SQLite format 3');
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
