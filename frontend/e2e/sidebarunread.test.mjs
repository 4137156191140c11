// The sidebar's account and channel views show how many of their
// conversations are unread, like the status views, and follow reading.
// A demo workspace of its own (it marks a conversation read). Run by
// scripts/e2e-browser.sh.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, run, startApp, suiteDir } from './helpers.mjs';

const UNREAD_ROWS = '[data-testid="conversation-list"] [role="option"].unread';

describe('unread counts on account and channel views', () => {
  const suite = suiteDir('sidebarunread');
  let app;
  let page;

  before(async () => {
    run(BIN, ['--data', join(suite.dir, 'data'), 'demo'], { env: suite.env });
    app = await startApp(suite);
    page = app.page;
  });

  after(async () => {
    await app?.browser.close();
    await app?.server.stop();
    suite.remove();
  });

  const badges = () =>
    page.evaluate(() => {
      const num = (sel) => [...document.querySelectorAll(sel)].reduce((n, e) => n + Number(e.textContent), 0);
      const each = {};
      for (const e of document.querySelectorAll('[data-unread-account]')) each[e.dataset.unreadAccount] = Number(e.textContent);
      return {
        all: num('[data-view="all"] .unread'),
        accounts: num('[data-unread-account]'),
        channels: num('[data-unread-channel]'),
        channelViews: document.querySelectorAll('[data-channel-view]').length,
        each,
      };
    });

  test('account badges add up to the unread of All, and so do channel badges', async () => {
    await page.waitForSelector('[data-account-view] .unread');
    const got = await badges();
    assert.ok(got.all > 0, 'the demo has unread conversations');
    assert.equal(got.accounts, got.all, 'account badges');
    assert.ok(got.channelViews > 1, 'the demo has two channels');
    assert.equal(got.channels, got.all, 'channel badges');
  });

  test("an account's badge counts its view's unread rows and drops when one is read", async () => {
    const before = await badges();
    const name = Object.keys(before.each)[0];
    await page.click(`[data-account-view="${name}"]`);
    await page.waitForSelector(`[data-account-view="${name}"][aria-current="page"]`);
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n, [UNREAD_ROWS, before.each[name]]);
    await page.click(UNREAD_ROWS);
    await page.waitForFunction(
      ([name, n]) => Number(document.querySelector(`[data-unread-account="${name}"]`)?.textContent ?? 0) === n,
      [name, before.each[name] - 1],
    );
    const now = await badges();
    assert.equal(now.all, before.all - 1, 'All follows');
    assert.equal(now.channels, before.channels - 1, 'the channel badge follows');
  });
});
