// Search and offline review in real Chromium against the dev-tagged binary:
// results as you type with highlighted snippets, newest or by relevance; a
// malformed query underlined where it is wrong; Escape clears; a saved
// search becomes a sidebar view and can be deleted; with the network cut
// (page.context().setOffline) the window says so while conversations,
// search and attachments still open from the store. Run by
// scripts/e2e-browser.sh (SEARCH_URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launch, need, openApp } from './helpers.mjs';

// Its own demo workspace: opening conversations marks them read, which the
// other files' tests count on.
const APP_URL = process.env.SEARCH_URL || need('APP_URL');

/** typeQuery replaces the search box's text as a user would type it. */
async function typeQuery(page, q) {
  await page.click('[data-testid="search-input"]');
  await page.fill('[data-testid="search-input"]', '');
  await page.type('[data-testid="search-input"]', q, { delay: 15 });
}

/** results waits for the results of q and returns their count. */
async function results(page, q, order = 'newest') {
  await page.waitForFunction(
    ([q, order]) => {
      const r = document.querySelector('[data-testid="search-results"]');
      return r && r.dataset.query === q && r.dataset.loading === 'false' && r.dataset.order === order;
    },
    [q, order],
  );
  return Number(await page.getAttribute('[data-testid="search-results"]', 'data-count'));
}

describe('search and offline review', () => {
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

  test('typing a query shows conversations with the words highlighted', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('parcel', { delay: 15 });
    const n = await results(page, 'parcel');
    assert.ok(n >= 1, `got ${n} results for parcel, want at least 1`);
    const marks = await page.locator('[data-testid="snippet"] mark').allTextContents();
    assert.ok(marks.length >= 1, 'no highlighted match in the snippets');
    for (const m of marks) assert.match(m, /^parcel/i);
    // Snippets carry no markup but the marks.
    const tags = await page.$$eval('[data-testid="snippet"] *', (els) => [...new Set(els.map((e) => e.tagName))]);
    assert.deepEqual(tags, ['MARK']);
    // The conversation list gives way to the results.
    assert.equal(await page.locator('[data-testid="conversation-list"]').count(), 0);
  });

  test('Enter opens the highlighted result; a click opens another', async () => {
    const first = page.locator('[data-testid="search-hit"]').first();
    const subject = (await first.locator('.subject').textContent()).trim();
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => document.querySelector('[data-testid="subject"]')?.textContent?.includes(s), subject);

    await typeQuery(page, 'helmet');
    const n = await results(page, 'helmet');
    assert.ok(n >= 2, `got ${n} results for helmet, want at least 2`);
    const second = page.locator('[data-testid="search-hit"]').nth(1);
    const id = await second.getAttribute('data-id');
    const subj = (await second.locator('.subject').textContent()).trim();
    await second.click();
    await page.waitForFunction((s) => document.querySelector('[data-testid="subject"]')?.textContent?.includes(s), subj);
    await page.waitForSelector(`[data-testid="search-hit"][data-id="${id}"].current`);
    // j/k walk the results as they walk a view.
    const firstID = await page.locator('[data-testid="search-hit"]').first().getAttribute('data-id');
    await page.keyboard.press('k');
    await page.waitForSelector(`[data-testid="search-hit"][data-id="${firstID}"].current.cursor`);
    await page.keyboard.press('j');
    await page.waitForSelector(`[data-testid="search-hit"][data-id="${id}"].current.cursor`);
  });

  test('relevance order is a toggle', async () => {
    const newest = await page.$$eval('[data-testid="search-hit"]', (els) => els.map((e) => e.dataset.id));
    await page.click('[data-testid="search-results"] button[data-order="relevance"]');
    const n = await results(page, 'helmet', 'relevance');
    assert.equal(n, newest.length, 'relevance finds the same conversations');
    const ranked = await page.$$eval('[data-testid="search-hit"]', (els) => els.map((e) => e.dataset.id));
    assert.deepEqual([...ranked].sort(), [...newest].sort());
    await page.click('[data-testid="search-results"] button[data-order="newest"]');
    await results(page, 'helmet', 'newest');
  });

  test('a malformed query points at its mistake instead of an empty list', async () => {
    await typeQuery(page, 'late "delivery');
    // An error shows while the words are still being typed ('late "d'):
    // wait for the one about the whole query.
    await page.waitForFunction(() => document.querySelector('[data-testid="query-error-mark"]')?.textContent === '"delivery');
    assert.equal(await page.getAttribute('[data-testid="query-error"]', 'data-pos'), '5');
    assert.match(await page.textContent('[data-testid="query-error"]'), /column 6/);
    assert.equal(await page.textContent('[data-testid="query-error-mark"]'), '"delivery');
    assert.equal(await page.getAttribute('[data-testid="search-input"]', 'aria-invalid'), 'true');
    assert.equal(await page.locator('[data-testid="search-hit"]').count(), 0);
    assert.equal(await page.locator('[data-testid="search-empty"]').count(), 0, 'not the "no match" text');
    // The mark sits under the quote: its left edge is right of the input's.
    const mark = await page.locator('[data-testid="query-error-mark"]').boundingBox();
    const input = await page.locator('[data-testid="search-input"]').boundingBox();
    assert.ok(mark.x > input.x + 20 && mark.width > 20, `mark at ${mark.x}+${mark.width}, input at ${input.x}`);
    // Closing the quote fixes it.
    await page.type('[data-testid="search-input"]', '"', { delay: 15 });
    await page.waitForSelector('[data-testid="query-error"]', { state: 'detached' });
    await results(page, 'late "delivery"');
  });

  test('Escape clears the search and the view comes back', async () => {
    await page.focus('[data-testid="search-input"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="search-results"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="conversation-list"]');
    assert.equal(await page.inputValue('[data-testid="search-input"]'), '');
  });

  test('a saved search is a sidebar view that opens its results and can be deleted', async () => {
    await typeQuery(page, 'helmet');
    const n = await results(page, 'helmet');
    await page.click('[data-testid="save-search"]');
    await page.fill('[data-testid="save-search-name"]', 'Helmets e2e');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-saved="Helmets e2e"]');
    await page.focus('[data-testid="search-input"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="search-results"]', { state: 'detached' });

    // The backend kept it: after a reload it is still there and opens.
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.click('[data-saved="Helmets e2e"]');
    assert.equal(await results(page, 'helmet'), n);
    await page.waitForSelector('[data-saved="Helmets e2e"][aria-current="page"]');

    await page.hover('[data-saved="Helmets e2e"]');
    await page.click('[data-delete-saved="Helmets e2e"]');
    await page.waitForSelector('[data-saved="Helmets e2e"]', { state: 'detached' });
    await page.focus('[data-testid="search-input"]');
    await page.keyboard.press('Escape');
  });

  test('the attachment download limit is a setting the store keeps', async () => {
    const settings = async () => {
      await page.click('[data-testid="open-settings"]');
      await page.click('[data-nav="offline"]');
    };
    await settings();
    await page.selectOption('[data-testid="prefetch-limit"]', '5000000');
    await page.waitForSelector('.prefetch [role="status"]');
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await settings();
    await page.waitForFunction(() => document.querySelector('[data-testid="prefetch-limit"]')?.value === '5000000');
    await page.selectOption('[data-testid="prefetch-limit"]', '0');
    await page.waitForSelector('.prefetch [role="status"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });
  });

  // The demo's one attachment was downloaded; here the backend's answer is
  // replaced in the page so it counts as not downloaded (larger than the
  // limit), which the store's UnfetchedAttachments is tested for in Go (and
  // the download from a real Dovecot in backend/syncer). Download calls the
  // bound FetchAttachment with the attachment's ID, and then it opens.
  test('an attachment not downloaded ahead offers Download', async () => {
    await typeQuery(page, 'has:attachment');
    assert.ok((await results(page, 'has:attachment')) >= 1);
    await page.evaluate(() => {
      const b = window.go.app.Inbox;
      b.__unfetched = b.UnfetchedAttachments;
      b.__fetch = b.FetchAttachment;
      window.__fetched = [];
      b.UnfetchedAttachments = async (id) => {
        const th = await b.Thread(id);
        return th.messages.flatMap((m) => m.attachments.map((a) => a.id));
      };
      b.FetchAttachment = async (id) => {
        window.__fetched.push(id);
        b.UnfetchedAttachments = b.__unfetched; // now it is here
        return b.__fetch(id);
      };
    });
    try {
      await page.locator('[data-testid="search-hit"]').first().click();
      await page.waitForSelector('[data-testid="attachment"][data-fetched="false"] [data-testid="attachment-download"]');
      assert.equal(await page.locator('[data-testid="attachment-open"]').count(), 0);
      await page.click('[data-testid="attachment-download"]');
      await page.waitForSelector('[data-testid="attachment"] [data-testid="attachment-open"]');
      assert.equal((await page.evaluate(() => window.__fetched)).length, 1, 'FetchAttachment called once');
    } finally {
      await page.evaluate(() => {
        const b = window.go.app.Inbox;
        b.UnfetchedAttachments = b.__unfetched;
        b.FetchAttachment = b.__fetch;
      });
    }
    await page.focus('[data-testid="search-input"]');
    await page.keyboard.press('Escape');
  });

  test('offline: the window says so, and back online it does not', async () => {
    assert.equal(await page.locator('[data-testid="offline-banner"]').count(), 0, 'online at first');
    await page.context().setOffline(true);
    try {
      await page.waitForSelector('[data-testid="offline-banner"]');
      assert.match(await page.textContent('[data-testid="offline-banner"]'), /Offline/);
      assert.equal(await page.evaluate(() => navigator.onLine), false);
    } finally {
      await page.context().setOffline(false);
    }
    await page.waitForSelector('[data-testid="offline-banner"]', { state: 'detached' });
  });

  test('offline: an account the Mail service reports offline shows the banner until it syncs', async () => {
    const name = await page.evaluate(() => document.querySelector('.account .name')?.textContent ?? 'Shop mail');
    // The event as app.Mail emits it (accounts:status, app.AccountStatus).
    const emit = (state) =>
      page.evaluate(([name, state]) => window.runtime.EventsEmit('accounts:status', { account_id: 'x', name, state, error: state === 'offline' ? 'offline: dial tcp: connection refused' : '', retrying: true }), [name, state]);
    await emit('offline');
    await page.waitForSelector('[data-testid="offline-banner"]');
    await emit('idle');
    await page.waitForSelector('[data-testid="offline-banner"]', { state: 'detached' });
  });

  // Chromium's offline emulation also cuts the loopback socket that carries
  // the bindings in this dev build (the native window calls Go in-process),
  // so here the page is told it is offline (navigator.onLine, the offline
  // event) and every request that is not to the app itself fails.
  test('offline: conversations, search and attachments open from the store', async () => {
    const origin = new URL(APP_URL).origin;
    const refused = [];
    await page.context().route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
      refused.push(u);
      return route.abort('internetdisconnected');
    });
    await page.evaluate(() => {
      Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
    });
    try {
      await page.waitForSelector('[data-testid="offline-banner"]');

      // Conversations open.
      await page.click('[data-view="all"]');
      await page.waitForSelector('[data-testid="conversation-list"][data-loaded-view="status:all"]');
      const rows = page.locator('[data-testid="conversation-list"] [role="option"]');
      const subj = (await rows.nth(2).locator('.subject').textContent()).trim();
      await rows.nth(2).click();
      await page.waitForFunction((s) => document.querySelector('[data-testid="subject"]')?.textContent?.includes(s), subj);
      await page.waitForSelector('[data-testid="message"]');

      // Search works.
      await typeQuery(page, 'parcel');
      assert.ok((await results(page, 'parcel')) >= 1);
      await page.locator('[data-testid="search-hit"]').first().click();
      await page.waitForSelector('[data-testid="message"]');

      // A downloaded attachment opens from the store.
      await typeQuery(page, 'has:attachment');
      assert.ok((await results(page, 'has:attachment')) >= 1);
      await page.locator('[data-testid="search-hit"]').first().click();
      await page.waitForSelector('[data-testid="attachment-open"]');
      assert.equal(await page.locator('[data-testid="attachment-download"]').count(), 0, 'demo attachments are all downloaded');
      const download = page.waitForEvent('download');
      await page.click('[data-testid="attachment-open"]');
      const d = await download;
      assert.ok(d.suggestedFilename().length > 0);
      assert.equal(await page.locator('.file [role="alert"]').count(), 0);
      assert.equal(await page.locator('[data-testid="offline-banner"]').count(), 1, 'still offline');
    } finally {
      await page.context().unroute('**/*');
      await page.evaluate(() => {
        delete Navigator.prototype.onLine;
      }).catch(() => {});
    }
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
