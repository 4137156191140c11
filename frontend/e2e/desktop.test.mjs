// The desktop side of the window in real Chromium against the dev-tagged
// binary, in a demo workspace of its own (DESKTOP_URL): the settings screen
// (Ctrl+, and the sidebar; labels, accounts, notifications), merging two
// conversations and undoing it (from the pane and from a two-row
// selection), and a desktop notification: a message stored by another
// process is shown on a fake freedesktop notification server on a private
// D-Bus (NOTIFY_CONTROL), whose click opens the conversation in the page.
// Run by scripts/e2e-browser.sh.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launch, need, openApp, row, sidebarCount, view } from './helpers.mjs';

const URL = need('DESKTOP_URL');
const DATA = need('DESKTOP_DATA');
const BIN = need('TIDINGS_BIN');
const CONTROL = need('NOTIFY_CONTROL');

async function calls() {
  const r = await fetch(new globalThis.URL('calls', CONTROL));
  assert.equal(r.status, 200);
  return r.json();
}

/** waitCall waits until the fake server got a notification whose summary is who. */
async function waitCall(who, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = (await calls()).find((x) => x.summary === who);
    if (c) return c;
    if (Date.now() > end) throw new Error(`no notification from ${who}; got ${JSON.stringify(await calls())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** deliver stores a customer's email through another process (the CLI's
 * import), as a sync would: the window learns of it only from the store. */
function deliver(dir, name, address, subject, body) {
  const file = join(dir, `${address}.eml`);
  writeFileSync(
    file,
    [
      `From: ${name} <${address}>`,
      'To: Bluebird Bikes <hello@bluebird-bikes.example>',
      `Subject: ${subject}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${Date.now()}.${address}>`,
      'Status: O', // seen by the mail program, not read: new mail (without it an import is history, read)
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );
  execFileSync(BIN, ['--data', DATA, 'import', file], { stdio: 'pipe' });
}

async function openSettings(page, section) {
  if (!(await page.isVisible('[data-testid="settings"]'))) await page.click('[data-testid="open-settings"]');
  await page.click(`[data-nav="${section}"]`);
  await page.waitForSelector(`[data-testid="settings"] [data-section="${section}"]`);
}

async function closeSettings(page) {
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });
}

describe('desktop: settings, merge, notifications', () => {
  let browser;
  let page;
  let dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-desktop-'));
    browser = await launch();
    page = await openApp(browser.context, URL);
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('settings open with Ctrl+, and from the sidebar; Esc closes and keys stay quiet meanwhile', async () => {
    await page.click('[data-testid="conversation-list"] [role="option"]');
    await page.keyboard.press('Control+Comma');
    await page.waitForSelector('[data-testid="settings"]');
    const nav = await page.$$eval('[data-testid="settings"] [data-nav]', (els) => els.map((e) => e.dataset.nav));
    for (const s of ['accounts', 'labels', 'notifications', 'offline', 'website']) assert.ok(nav.includes(s), `no ${s} section in ${nav}`);
    const current = await page.getAttribute('[data-testid="conversation"]', 'data-thread-id');
    await page.keyboard.press('j'); // the list must not move under the dialog
    assert.equal(await page.getAttribute('[data-testid="conversation"]', 'data-thread-id'), current);
    await closeSettings(page);
    await page.click('[data-testid="open-settings"]');
    await page.waitForSelector('[data-testid="settings"]');
    await page.keyboard.press('Control+Comma');
    await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });
  });

  test('labels: create, rename, recolour and delete, with counts', async () => {
    await openSettings(page, 'labels');
    const shipping = page.locator('[data-label-row="Shipping"]');
    const count = (await shipping.locator('[data-testid="label-count"]').textContent()).trim();
    assert.match(count, /^[1-9]\d* conversations?$/);

    await page.fill('[data-testid="label-new-name"]', 'Wholesale');
    await page.click('[data-testid="label-create"]');
    await page.waitForSelector('[data-label-row="Wholesale"] [data-testid="label-count"]:has-text("0 conversations")');
    await page.fill('[data-testid="label-new-name"]', 'wholesale');
    await page.click('[data-testid="label-create"]');
    await page.waitForSelector('[data-testid="labels-error"]:has-text("exists already")');

    await shipping.locator('[data-action="rename"]').click();
    await page.fill('[data-testid="label-rename-input"]', 'Delivery');
    await page.keyboard.press('Enter');
    const delivery = page.locator('[data-label-row="Delivery"]');
    await delivery.waitFor();
    assert.equal((await delivery.locator('[data-testid="label-count"]').textContent()).trim(), count);
    assert.equal(await page.locator('[data-label-row="Shipping"]').count(), 0);

    await delivery.locator('[data-action="recolor"]').click();
    await page.click('[data-testid="settings"] .palette [data-color="#eb5757"]');
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('[data-label-row="Delivery"] .dot')).backgroundColor === 'rgb(235, 87, 87)',
    );

    await page.locator('[data-label-row="Wholesale"] [data-action="delete"]').click();
    await page.waitForSelector('[data-testid="label-confirm"]:has-text("No conversation carries it")');
    await page.click('[data-action="confirm-delete"]');
    await page.locator('[data-label-row="Wholesale"]').waitFor({ state: 'detached' });
    await closeSettings(page);

    // The sidebar follows, and the backend kept it all.
    await page.waitForSelector('[data-label="Delivery"]');
    await page.reload();
    await page.waitForSelector('[data-label="Delivery"]');
    assert.equal(await page.locator('[data-label="Shipping"]').count(), 0);
    assert.equal(await page.locator('[data-label="Wholesale"]').count(), 0);
    await page.click('[data-label="Delivery"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="conversation-list"]')?.dataset.count) >= 1);
  });

  test('accounts: health lines, rename, and removal that keeps the history', async () => {
    await view(page, 'all');
    const all = await sidebarCount(page, 'all');
    await openSettings(page, 'accounts');
    // Connecting an account opens the account form over the settings; Esc
    // closes the form only.
    await page.click('[data-testid="settings-add-account"]');
    await page.waitForSelector('[data-testid="account-form"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="account-form"]', { state: 'detached' });
    assert.ok(await page.isVisible('[data-testid="settings"]'));
    const tg = page.locator('[data-settings-account="Telegram (demo)"]');
    await tg.waitFor();
    assert.equal((await tg.locator('[data-testid="account-state"]').textContent()).trim(), 'demo');
    await tg.locator('[data-action="rename"]').click();
    await page.fill('[data-testid="account-rename-input"]', 'Shop Telegram');
    await page.keyboard.press('Enter');
    const renamed = page.locator('[data-settings-account="Shop Telegram"]');
    await renamed.waitFor();
    await renamed.locator('[data-action="remove"]').click();
    const confirm = page.locator('[data-testid="account-confirm"]');
    await confirm.waitFor();
    await page.waitForSelector('[data-testid="account-confirm"]:has-text("Local history is kept")');
    assert.match(await confirm.textContent(), /its [1-9]\d* conversations? \([1-9]\d* messages?\) stay on this computer/);
    // The other choice says what it would delete; back to keeping.
    await page.check('[data-testid="account-also-history"]');
    await page.waitForSelector('[data-testid="account-history"]:has-text("Local history is deleted")');
    await page.uncheck('[data-testid="account-also-history"]');
    await page.waitForSelector('[data-testid="account-history"]:has-text("Local history is kept")');
    await page.click('[data-action="confirm-remove"]');
    await renamed.waitFor({ state: 'detached' });
    await page.waitForSelector('[data-testid="accounts-info"]:has-text("history stays")');
    await closeSettings(page);
    await page.waitForFunction((n) => Number(document.querySelector('[data-count="all"]').textContent) === n, all);
  });

  test('merge into another of the customer\u2019s conversations from the pane, then undo from the toast', async () => {
    await view(page, 'all');
    await row(page, 'Order #1001 delayed?').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Order #1001 delayed?")');
    const fromID = await page.getAttribute('[data-testid="conversation"]', 'data-thread-id');
    const fromMsgs = await page.locator('[data-testid="message"]').count();
    const fromLabels = await page.locator('[data-testid="label-chip"]').allTextContents();

    await page.keyboard.press('m'); // the key opens the picker, Esc closes it
    await page.waitForSelector('[data-testid="merge-picker"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="merge-picker"]', { state: 'detached' });
    await page.click('[data-action="merge"]');
    await page.waitForSelector('[data-testid="merge-picker"]');
    await page.fill('[data-testid="merge-search"]', 'saddle');
    const option = page.locator('[data-testid="merge-picker"] [data-merge-option]', { hasText: 'Saddle swap' }).first();
    await option.waitFor();
    const intoID = await option.getAttribute('data-merge-option');
    await option.click();
    await page.click('[data-testid="merge-confirm"]');
    await page.waitForSelector('[data-testid="merge-toast"]:has-text("Merged into “Saddle swap”")');
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${intoID}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message"]').length > n, fromMsgs);
    const merged = await page.locator('[data-testid="message"]').count();
    assert.match(await page.textContent('[data-testid="timeline"]'), /merged in from another conversation/);
    await row(page, 'Order #1001 delayed?').waitFor({ state: 'detached' });

    await page.click('[data-testid="merge-undo"]');
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${fromID}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message"]').length === n, fromMsgs);
    assert.deepEqual(await page.locator('[data-testid="label-chip"]').allTextContents(), fromLabels);
    assert.match(await page.locator('[data-testid="event"]').last().textContent(), /Merge undone/);
    await row(page, 'Order #1001 delayed?').waitFor();
    await row(page, 'Saddle swap').click();
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${intoID}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message"]').length === n, merged - fromMsgs);
    assert.equal((await page.textContent('[data-testid="status"]')).trim(), 'Closed');
  });

  test('merge two selected conversations, then undo from the timeline', async () => {
    await view(page, 'open');
    const rows = page.locator('[data-testid="conversation-list"] [role="option"]');
    const ids = [await rows.nth(0).getAttribute('data-id'), await rows.nth(1).getAttribute('data-id')];
    await rows.nth(0).locator('input.check').click();
    await rows.nth(1).locator('input.check').click();
    await page.waitForSelector('[data-testid="bulk-bar"] [data-bulk="merge"]');
    await page.click('[data-bulk="merge"]');
    // The newer (first) conversation stays; the other goes into it.
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${ids[0]}"]`);
    await page.locator(`[data-testid="conversation-list"] [data-id="${ids[1]}"]`).waitFor({ state: 'detached' });
    await page.click('[data-testid="timeline-undo-merge"]');
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${ids[1]}"]`);
    await page.locator(`[data-testid="conversation-list"] [data-id="${ids[0]}"]`).waitFor();
    await page.locator(`[data-testid="conversation-list"] [data-id="${ids[1]}"]`).waitFor();
  });

  test('a new customer message notifies; clicking the notification opens its conversation', async () => {
    await openSettings(page, 'notifications');
    await page.waitForSelector('[data-testid="notify-service"]:has-text("notifytest 1.0")');
    await closeSettings(page);
    const subject = `Frame size for my daughter ${Date.now()}`;
    deliver(dir, 'Nora Notify', 'nora@example.net', subject, 'Hello! Which frame size fits a 1.40 m rider?');
    const c = await waitCall('Nora Notify');
    assert.match(c.body, /Frame size for my daughter/);
    assert.match(c.body, /Which frame size fits/);
    assert.deepEqual(c.actions, ['default', 'Open']);
    const r = await fetch(new globalThis.URL(`click?id=${c.id}`, CONTROL), { method: 'POST' });
    assert.equal(r.status, 204);
    await page.waitForSelector(`[data-testid="subject"]:has-text("${subject}")`);
  });

  test('notifications respect the settings', async () => {
    await openSettings(page, 'notifications');
    await page.uncheck('[data-setting="enabled"]');
    await page.waitForSelector('[data-testid="notify-info"]:has-text("Saved")');
    deliver(dir, 'Quiet Quentin', 'quentin@example.net', 'While notifications are off', 'This one must not notify.');
    await page.check('[data-setting="enabled"]');
    await page.waitForSelector('[data-testid="notify-info"]:has-text("Saved")');
    deliver(dir, 'Clara Back', 'clara@example.net', 'After they are on again', 'This one notifies.');
    await waitCall('Clara Back');
    assert.equal((await calls()).filter((x) => x.summary === 'Quiet Quentin').length, 0, 'a message notified while notifications were off');

    await page.click('[data-testid="notify-test"]');
    await page.waitForSelector('[data-testid="notify-info"]:has-text("Sent to notifytest 1.0")');
    await waitCall('Tidings');
    await closeSettings(page);
    assert.deepEqual(browser.errors, []);
  });
});
