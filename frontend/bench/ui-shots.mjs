// Screenshots of the window's dialogs and toasts, to compare a CSS change
// before and after pixel by pixel (ImageMagick's `compare -metric AE`).
// Each run works on a fresh copy of one seeded demo workspace with the
// page's clock fixed, so two runs show the same times, and walks the same
// states: the shortcut sheet, Settings, the add account form, the website
// snippet, the export dialog, the merge suggestions panel, a new message,
// a notice, the merge toast.
//
//   tidings-dev --data SEEDED demo                     (once)
//   xvfb-run -a node bench/ui-shots.mjs SEEDED OUTDIR  (from frontend/)
//   TIDINGS_DEV_BIN=path   the dev binary (default build/bin/tidings-dev)
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openApp, row, serveDev, view } from '../e2e/helpers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.TIDINGS_DEV_BIN || join(root, 'build/bin/tidings-dev');
const [seeded, out] = process.argv.slice(2);
if (!seeded || !out) {
  console.error('usage: node bench/ui-shots.mjs SEEDED_DATA_DIR OUTDIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'tidings-shots-'));
cpSync(seeded, join(dir, 'data'), { recursive: true });
// The same home each run: the export dialog shows a path in it.
const home = join(tmpdir(), 'tidings-shots-home');
rmSync(home, { recursive: true, force: true });
mkdirSync(home);
const env = { ...process.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: 'disabled:', TZ: 'UTC' };
// A minute after the demo was seeded, in every run.
const now = statSync(join(seeded, 'tidings.db')).mtimeMs + 60000;
const server = await serveDev(BIN, join(root, 'frontend/dist'), { ...env, TIDINGS_DATA: join(dir, 'data') });
const browser = await launch();
await browser.context.clock.setFixedTime(now);
const page = await openApp(browser.context, server.url);
await page.emulateMedia({ reducedMotion: 'reduce' });

async function shot(name) {
  // Let transitions and focus rings settle.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`), animations: 'disabled', caret: 'hide' });
  console.log(`ui-shots: ${name}`);
}

try {
  await page.waitForSelector('[data-testid="conversation-list"]');
  await view(page, 'all');
  await row(page, 'Order #1001 delayed?').click();
  await page.waitForSelector('[data-testid="subject"]:has-text("Order #1001 delayed?")');

  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid="shortcuts"]');
  await shot('shortcut-sheet');
  await page.keyboard.press('Escape');

  await page.click('[data-testid="open-settings"]');
  await page.click('[data-nav="labels"]');
  await shot('settings');
  await page.click('[data-nav="accounts"]');
  await page.click('[data-testid="settings-add-account"]');
  await page.waitForSelector('[data-testid="account-form"]');
  await shot('account-form');
  await page.click('[data-testid="account-form"] button:has-text("Cancel")');
  await page.click('[data-nav="website"]');
  await page.click('[data-testid="snippet-open"]');
  await page.waitForSelector('[data-testid="snippet"]');
  await shot('website-snippet');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="snippet"]', { state: 'detached' });
  await page.click('[data-testid="settings-close"]');
  await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });

  await page.click('[data-archive="export"]');
  await page.waitForSelector('[data-testid="export-dialog"]');
  await shot('export-dialog');
  await page.keyboard.press('Escape');

  await page.click('[data-testid="suggestions-open"]');
  await page.waitForSelector('[data-testid="suggestions"]');
  await shot('merge-suggestions');
  await page.keyboard.press('Escape');

  await page.keyboard.press('c');
  await page.waitForSelector('[data-testid="composer"][data-mode="new"][data-ready="true"]');
  await shot('compose-new');
  await page.click('[data-testid="compose-discard"]');

  // A notice: a file dropped beside the composer (the native window's
  // drop of a path that is not mail).
  await page.evaluate(() => {
    window.wails.flags.enableWailsDragAndDrop = true;
    const r = document.querySelector('[data-testid="conversation-list"]').getBoundingClientRect();
    window.runtime.EventsEmit('wails:file-drop', Math.round(r.x + 20), Math.round(r.y + 200), ['/tmp/invoice.pdf']);
  });
  await page.waitForSelector('[data-testid="notice"]');
  await shot('notice');
  await page.click('[data-testid="notice"] button');

  await page.click('[data-action="merge"]');
  await page.waitForSelector('[data-testid="merge-picker"]');
  await page.fill('[data-testid="merge-search"]', 'saddle');
  await page.locator('[data-testid="merge-picker"] [data-merge-option]', { hasText: 'Saddle swap' }).first().click();
  await page.click('[data-testid="merge-confirm"]');
  await page.waitForSelector('[data-testid="merge-toast"]');
  await shot('merge-toast');
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
