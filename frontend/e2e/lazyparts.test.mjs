// The window's first script leaves out what its first frame does not show
// (src/lib/later.svelte.ts): the settings screen and the export/backup
// dialogs are fetched only after the first rows are painted, and Ctrl+,
// pressed before they arrive still opens the settings. Read-only on the demo
// workspace. Run by scripts/e2e-browser.sh (APP_URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, need } from './helpers.mjs';

const APP_URL = need('APP_URL');
const ROWS = '[data-testid="conversation-list"] [role="option"]';

describe('parts loaded after the first rows', () => {
  let browser;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  test('settings and archive dialogs arrive after the first rows are painted', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30000);
    await page.addInitScript((sel) => {
      const mo = new MutationObserver(() => {
        if (!document.querySelector(sel)) return;
        mo.disconnect();
        // The frame that paints the first rows.
        requestAnimationFrame(() => (window.__painted = performance.now()));
      });
      mo.observe(document, { childList: true, subtree: true });
    }, ROWS);
    await page.goto(APP_URL);
    await page.waitForSelector('[data-testid="open-settings"]');
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/Settings-[^/]*\.js$/.test(e.name)));
    const t = await page.evaluate(() => {
      const at = (re) => performance.getEntriesByType('resource').find((e) => re.test(e.name))?.startTime ?? -1;
      return { painted: window.__painted ?? -1, settings: at(/\/Settings-[^/]*\.js$/), archive: at(/\/ArchiveDialogs-[^/]*\.js$/) };
    });
    assert.ok(t.painted > 0, 'no first rows painted');
    assert.ok(t.settings >= t.painted, `settings fetched at ${t.settings} ms, rows painted at ${t.painted} ms`);
    assert.ok(t.archive >= t.painted, `archive dialogs fetched at ${t.archive} ms, rows painted at ${t.painted} ms`);
    await page.close();
  });

  test('Ctrl+, before the settings arrived opens them', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30000);
    // Hold the settings' chunk back until the shortcut was pressed.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route(/\/Settings-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(APP_URL);
    await page.waitForSelector(ROWS);
    await page.keyboard.press('Control+Comma');
    release();
    await page.waitForSelector('[data-testid="settings"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });
    // Once loaded, the screen takes the shortcut itself.
    await page.keyboard.press('Control+Comma');
    await page.waitForSelector('[data-testid="settings"]');
    await page.close();
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
