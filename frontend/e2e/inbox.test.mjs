// The demo inbox in real Chromium against the dev-tagged binary: read,
// close, label, note, keyboard. Each step checks the backend kept it by
// reloading the page. Run by scripts/e2e-browser.sh (APP_URL).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { launch, listCount, need, openApp, row, sidebarCount, view } from './helpers.mjs';

const APP_URL = need('APP_URL');

describe('demo inbox', () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch();
    page = await openApp(browser.context, APP_URL);
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await browser?.close();
  });

  test('lists at least 20 conversations in All', async () => {
    await view(page, 'all');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="conversation-list"]')?.dataset.count) >= 20);
    assert.ok((await listCount(page)) >= 20);
    assert.ok((await sidebarCount(page, 'all')) >= 20);
    assert.match(await page.title(), /^Tidings \(\d+\)$/);
  });

  test('opens a conversation and reads its messages', async () => {
    await view(page, 'open');
    const r = row(page, 'Order #1001 delayed?');
    assert.ok(await r.evaluate((el) => el.classList.contains('unread')), 'the row starts unread');
    await r.click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Order #1001 delayed?")');
    const msgs = page.locator('[data-testid="message"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 3);
    assert.deepEqual(await msgs.evaluateAll((els) => els.map((e) => e.dataset.direction)), ['in', 'out', 'in']);
    assert.match(await msgs.first().textContent(), /Any news on my parcel\?/);
    assert.equal((await page.textContent('[data-testid="customer-name"]')).trim(), 'Alice Smith');
    assert.match(await page.textContent('[data-testid="customer"]'), /alice\.smith@example\.com/);
    await page.waitForFunction(
      (s) => ![...document.querySelectorAll('[role="option"]')].find((el) => el.textContent.includes(s))?.classList.contains('unread'),
      'Order #1001 delayed?',
    );
  });

  test('closes it and it moves to Closed', async () => {
    const openBefore = await sidebarCount(page, 'open');
    await page.click('[data-action="close"]');
    await row(page, 'Order #1001 delayed?').waitFor({ state: 'detached' });
    await page.waitForFunction((n) => Number(document.querySelector('[data-count="open"]').textContent) === n, openBefore - 1);
    await view(page, 'closed');
    await row(page, 'Order #1001 delayed?').waitFor();
    // The backend kept it.
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await view(page, 'closed');
    await row(page, 'Order #1001 delayed?').waitFor();
    assert.equal(await row(page, 'Order #1001 delayed?').getAttribute('data-status'), 'closed');
  });

  test('adds a label', async () => {
    await view(page, 'all');
    await row(page, 'Gift voucher').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Gift voucher")');
    await page.click('[data-action="label"]');
    await page.fill('[data-testid="label-picker"] input', 'VIP');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="label-chip"]:has-text("VIP")');
    await page.waitForSelector('[data-label="VIP"]');
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.click('[data-label="VIP"]');
    await row(page, 'Gift voucher').click();
    await page.waitForSelector('[data-testid="label-chip"]:has-text("VIP")');
  });

  test('adds a private note', async () => {
    await page.fill('[data-testid="note-input"]', 'Called her back: voucher posted <b>today</b>.');
    await page.click('[data-testid="note-submit"]');
    const note = page.locator('[data-testid="note"]', { hasText: 'voucher posted' });
    await note.waitFor();
    // Text, not markup.
    assert.match(await note.textContent(), /<b>today<\/b>/);
    assert.equal(await note.locator('b').count(), 0);
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.click('[data-label="VIP"]');
    await row(page, 'Gift voucher').click();
    await page.locator('[data-testid="note"]', { hasText: 'voucher posted' }).waitFor();
  });

  test('gives a label its colour', async () => {
    await page.click('[data-label-color="VIP"]');
    await page.click('[data-testid="label-palette"] [data-color="#eb5757"]');
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('[data-label-color="VIP"] .dot')).backgroundColor === 'rgb(235, 87, 87)',
    );
  });

  test('works from the keyboard', async () => {
    await view(page, 'open');
    const current = () => page.getAttribute('[role="option"][aria-selected="true"]', 'data-id');
    const ids = await page.locator('[role="option"]').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.ok(ids.length >= 3, `want at least 3 open conversations, got ${ids.length}`);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    const start = await current();
    const i = ids.indexOf(start);
    await page.keyboard.press('j');
    await page.waitForFunction((id) => document.querySelector('[role="option"][aria-selected="true"]')?.dataset.id === id, ids[i + 1]);
    await page.keyboard.press('j');
    await page.waitForFunction((id) => document.querySelector('[role="option"][aria-selected="true"]')?.dataset.id === id, ids[i + 2]);
    await page.keyboard.press('k');
    await page.waitForFunction((id) => document.querySelector('[role="option"][aria-selected="true"]')?.dataset.id === id, ids[i + 1]);

    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="shortcuts"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="shortcuts"]', { state: 'detached' });

    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search');
    await page.keyboard.press('Escape');
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'search');

    // e closes the current conversation: it leaves Open.
    const closing = await current();
    await page.keyboard.press('e');
    await page.waitForSelector(`[role="option"][data-id="${closing}"]`, { state: 'detached' });
    await view(page, 'closed');
    await page.waitForSelector(`[role="option"][data-id="${closing}"]`);
  });

  test('the customer panel shows every channel; edit, merge and undo', async () => {
    await view(page, 'all');
    await row(page, 'Order #1001 delayed?').click();
    await page.waitForSelector('[data-testid="customer-name"]:has-text("Alice Smith")');
    const convs = page.locator('[data-testid="customer-conversations"] button');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="customer-conversations"] button').length >= 3);
    const channels = await convs.evaluateAll((els) => els.map((e) => e.querySelector('[data-channel]')?.getAttribute('data-channel')));
    assert.ok(channels.includes('email') && channels.includes('telegram'), `Alice's conversations are on ${channels}`);
    const before = await convs.count();

    await page.click('[data-testid="contact-edit"]');
    await page.fill('[data-testid="contact-notes-input"]', 'Prefers Telegram in the evening');
    await page.click('[data-testid="contact-save"]');
    await page.waitForSelector('[data-testid="contact-notes"]:has-text("Prefers Telegram")');

    await page.click('[data-testid="merge-start"]');
    await page.fill('[data-testid="merge-search"]', 'Bob');
    await page.click('[data-merge-candidate="Bob Jones"]');
    await page.click('[data-testid="merge-confirm"]');
    await page.waitForSelector('[data-testid="merge-notice"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="customer-conversations"] button').length > n, before);
    await page.click('[data-testid="merge-undo"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="customer-conversations"] button').length === n, before);
    // Bob is himself again.
    await row(page, 'Warranty claim: cracked rim').click();
    await page.waitForSelector('[data-testid="customer-name"]:has-text("Bob Jones")');
  });

  test('the composer shows recipients, keeps a draft and never pretends to send', async () => {
    await view(page, 'all');
    await row(page, 'Brake pads for a 2019 Trek FX').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Brake pads")');
    const before = await page.locator('[data-testid="message"]').count();
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('a');
    await page.waitForSelector('[data-testid="composer"][data-mode="reply_all"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="compose-to"]')?.value.includes('@'));
    assert.match(await page.inputValue('[data-testid="compose-to"]'), /bob@jones-family\.example/);
    assert.ok(await page.isVisible('[data-testid="compose-cc"]'));
    assert.ok(await page.isVisible('[data-testid="compose-bcc"]'));
    assert.match(await page.inputValue('[data-testid="compose-subject"]'), /^Re: /);
    await page.fill('[data-testid="compose-body"]', 'The pads are in: Shimano B01S, £18.');
    await page.fill('[data-testid="compose-cc"]', 'not-an-address');
    await page.waitForSelector('text=not an email address');
    await page.fill('[data-testid="compose-cc"]', '');
    // The draft survives a reload.
    await page.waitForTimeout(800);
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await view(page, 'all');
    await row(page, 'Brake pads for a 2019 Trek FX').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Brake pads")');
    await page.click('[data-action="reply-all"]');
    await page.waitForSelector('[data-testid="draft-restored"]');
    assert.equal(await page.inputValue('[data-testid="compose-body"]'), 'The pads are in: Shimano B01S, £18.');
    // The demo cannot send, and says so next to the composer.
    await page.click('[data-testid="compose-send"]');
    await page.waitForSelector('[data-testid="compose-error"]:has-text("demo inbox does not send")');
    assert.equal(await page.locator('[data-testid="message"]').count(), before);
    await page.click('[data-testid="compose-discard"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });
  });

  test('bulk close and snooze', async () => {
    await view(page, 'open');
    const ids = await page.locator('[role="option"]').evaluateAll((els) => els.slice(0, 2).map((e) => e.dataset.id));
    assert.equal(ids.length, 2);
    await page.click(`[role="option"][data-id="${ids[0]}"]`, { modifiers: ['Control'] });
    await page.click(`[role="option"][data-id="${ids[1]}"]`, { modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="bulk-bar"]:has-text("2 selected")');
    await page.click('[data-bulk="close"]');
    for (const id of ids) await page.waitForSelector(`[role="option"][data-id="${id}"]`, { state: 'detached' });
    await view(page, 'closed');
    for (const id of ids) await page.waitForSelector(`[role="option"][data-id="${id}"]`);

    await view(page, 'open');
    const first = await page.getAttribute('[role="option"]', 'data-id');
    await page.click(`[role="option"][data-id="${first}"]`);
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('s');
    await page.click('[data-testid="snooze-picker"] [data-preset="tomorrow"]');
    await page.waitForSelector(`[role="option"][data-id="${first}"]`, { state: 'detached' });
    await view(page, 'snoozed');
    await page.waitForSelector(`[role="option"][data-id="${first}"][data-status="snoozed"]`);
  });

  test('pane widths are remembered', async () => {
    const gutter = page.getByRole('separator', { name: 'Resize the conversation list' });
    const before = Number(await gutter.getAttribute('aria-valuenow'));
    await gutter.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    assert.equal(Number(await gutter.getAttribute('aria-valuenow')), before + 48);
    // Saved 300 ms after the last key; a loaded machine needs longer to store it.
    await page.waitForTimeout(1500);
    // From the store, not the browser's storage.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.waitForFunction(
      (want) => document.querySelector('[role="separator"][aria-label="Resize the conversation list"]')?.getAttribute('aria-valuenow') === String(want),
      before + 48,
    );
  });

  test('searches from the keyboard', async () => {
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('/');
    await page.keyboard.type('parcel');
    await page.keyboard.press('Enter');
    // Results take the list's place (search.test.mjs covers them in depth).
    await page.waitForSelector('[data-testid="search-results"][data-query="parcel"][data-loading="false"]');
    const hit = (s) => page.locator('[data-testid="search-hit"]', { hasText: s });
    await hit('Order #1001 delayed?').waitFor();
    assert.equal(await hit('Gift voucher').count(), 0);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="search-results"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  test('says why a message joined, and splits it out', async () => {
    await view(page, 'all');
    await row(page, 'Order #1001 delayed?').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 3);
    await page.locator('[data-testid="message"]').nth(2).locator('[data-testid="why"]').click();
    const origin = page.locator('[data-testid="origin"]');
    assert.match(await origin.textContent(), /References header/);
    const before = await page.getAttribute('[data-testid="conversation"]', 'data-thread-id');
    await origin.locator('[data-testid="split"]').click();
    await page.waitForFunction((id) => {
      const p = document.querySelector('[data-testid="conversation"]');
      return p.dataset.threadId && p.dataset.threadId !== id && document.querySelectorAll('[data-testid="message"]').length === 1;
    }, before);
    assert.match(await page.textContent('[data-testid="message"]'), /I need it for Saturday/);
  });

  test('saves an attachment to Downloads', async () => {
    await view(page, 'all');
    await row(page, 'Warranty claim: cracked rim').click();
    await page.click('[data-testid="save-attachment"]');
    const notice = await page.waitForSelector('[data-testid="notice"]');
    const m = /Saved to (\S+rim-photo[^ ]*\.jpg)/.exec(await notice.textContent());
    assert.ok(m, `notice: ${await notice.textContent()}`);
    assert.match(m[1], /\/home-demo\/Downloads\//);
    assert.ok(statSync(m[1]).size > 0);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
