// First launch on an empty data directory: the two choices, then "Explore a
// demo inbox" fills the inbox through the bound LoadDemo. Run by
// scripts/e2e-browser.sh (EMPTY_URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, listCount, need, openApp, sidebarCount } from './helpers.mjs';

const EMPTY_URL = need('EMPTY_URL');

describe('first launch', () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch();
    page = await openApp(browser.context, EMPTY_URL);
  });

  after(async () => {
    await browser?.close();
  });

  test('offers the two choices', async () => {
    await page.waitForSelector('[data-testid="welcome"]');
    assert.match(await page.textContent('[data-testid="connect-email"]'), /Connect an email account/);
    assert.match(await page.textContent('[data-testid="load-demo"]'), /Explore a demo inbox/);
  });

  test('the account form tests the connection and says what failed', async () => {
    await page.click('[data-testid="connect-email"]');
    await page.waitForSelector('[data-testid="account-form"]');
    await page.fill('[data-testid="account-address"]', 'owner@shop.invalid');
    await page.fill('[data-testid="account-password"]', 'secret');
    await page.evaluate(() => (document.querySelector('[data-testid="account-form"] details').open = true));
    // A real connection attempt to a closed port on this machine.
    await page.fill('[data-testid="account-imap-host"]', '127.0.0.1');
    await page.fill('[data-testid="account-imap-port"]', '1');
    await page.fill('[data-testid="account-smtp-host"]', '127.0.0.1');
    await page.fill('[data-testid="account-smtp-port"]', '1');
    await page.selectOption('[data-testid="account-security"]', 'none');
    await page.click('[data-testid="account-connect"]');
    const err = await page.waitForSelector('[data-testid="account-error"]', { timeout: 30000 });
    assert.match(await err.textContent(), /Could not connect: .+/);
    // Nothing was saved: still the first launch.
    await page.click('[data-testid="account-form"] button:has-text("Cancel")');
    await page.waitForSelector('[data-testid="welcome"]');
  });

  test('"Explore a demo inbox" loads the demo', async () => {
    await page.click('[data-testid="load-demo"]');
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="conversation-list"]')?.dataset.count) > 0);
    assert.ok((await sidebarCount(page, 'all')) >= 20);
    assert.ok((await listCount(page)) > 0);
    // And it stays loaded.
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    assert.equal(await page.locator('[data-testid="welcome"]').count(), 0);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
