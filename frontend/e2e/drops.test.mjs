// Files dropped on the window by path, and importing from the first launch,
// in real Chromium against the dev-tagged binary on data directories of
// their own. The native window (WebKitGTK with Wails' file drop on) sends
// the dropped files' paths as the "wails:file-drop" event and sets
// window.wails.flags.enableWailsDragAndDrop; Chromium has neither, so the
// tests turn the flag on and send that event through the real Wails
// runtime, with paths of real files on disk. Checks: a file dropped on the
// composer is attached by path (Go reads it: AddDraftFile, the base64 way,
// is never called, and the page does not read the same drop again), the
// channel's limit holds, a drop with no paths falls back to reading the
// files in the page; mail dropped elsewhere opens the import dialog with its
// path, other files say where to drop them; the first-launch screen's
// "Import mail…" runs an import whose summary gives the counts, and the
// inbox opens. Run by scripts/e2e-browser.sh (TIDINGS_BIN).
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, row, run, startApp, suiteDir, view } from './helpers.mjs';

/** nativeDrop drops paths on the window at the centre of selector (or at
 * x, y) as the native window does: Wails' file-drop event with paths. */
async function nativeDrop(page, paths, at) {
  const box = typeof at === 'string' ? await page.locator(at).boundingBox() : at;
  const x = Math.round(typeof at === 'string' ? box.x + box.width / 2 : at.x);
  const y = Math.round(typeof at === 'string' ? box.y + box.height / 2 : at.y);
  await page.evaluate(
    ({ x, y, paths }) => {
      window.wails.flags.enableWailsDragAndDrop = true;
      window.runtime.EventsEmit('wails:file-drop', x, y, paths);
    },
    { x, y, paths },
  );
}

/** domDrop drops files on selector as the page sees them (File objects). */
async function domDrop(page, selector, files) {
  const dt = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: f.type }));
    return dt;
  }, files);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

/** countBase64Adds counts calls of the bound AddDraftFile (files read by
 * the page and sent base64) from now on. */
async function countBase64Adds(page) {
  await page.evaluate(() => {
    const inbox = window.go.app.Inbox;
    if (inbox.__counted) return;
    const orig = inbox.AddDraftFile;
    window.__base64Adds = 0;
    inbox.AddDraftFile = (...args) => {
      window.__base64Adds++;
      return orig(...args);
    };
    inbox.__counted = true;
  });
}
const base64Adds = (page) => page.evaluate(() => window.__base64Adds);

/** mbox writes an mbox of the messages (one repeated: a duplicate). */
function mbox(path) {
  const msg = (id, from, subject, text, reply = '') =>
    `From ${from} Mon Nov 23 10:00:00 2026\nMessage-ID: <${id}@drop.example>\nFrom: ${from}\nTo: shop@drop.example\nSubject: ${subject}\n${reply ? `In-Reply-To: <${reply}@drop.example>\n` : ''}Date: Mon, 23 Nov 2026 10:00:00 +0000\n\n${text}\n\n`;
  const a = msg('a1', 'rita@drop.example', 'Pedal wobble', 'The left pedal wobbles.');
  const b = msg('b1', 'omar@drop.example', 'Gift voucher', 'Do you sell gift vouchers?');
  writeFileSync(path, a + b + msg('c1', 'rita@drop.example', 'Re: Pedal wobble', 'Fixed it, thanks!', 'a1') + a);
}

describe('files dropped by path', () => {
  let suite;
  let dir;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('drops');
    dir = suite.dir;
    run(BIN, ['--data', join(dir, 'data'), 'demo'], { env: suite.env });
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files', 'quote.pdf'), '%PDF-1.4 '.repeat(400));
    // 30 MB without the room: only the size counts.
    const fd = openSync(join(dir, 'files', 'video.mp4'), 'w');
    ftruncateSync(fd, 30 * 1024 * 1024);
    closeSync(fd);
    mbox(join(dir, 'files', 'old-mail.mbox'));
    ({ server, browser, page } = await startApp(suite));
    await page.waitForSelector('[data-testid="conversation-list"]');
    await countBase64Adds(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    suite?.remove();
  });

  test('on the composer: attached by path, read by Go, within the channel limit', async () => {
    await view(page, 'all');
    await row(page, 'Warranty claim: cracked rim').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Warranty claim")');
    await page.click('[data-action="reply"]');
    await page.waitForSelector('[data-testid="composer"][data-ready="true"]');
    // The native window fires both: the page's drop (with File objects)
    // and the paths. Only the paths are used.
    await nativeDrop(page, [join(dir, 'files', 'quote.pdf')], '[data-testid="compose-body"]');
    await domDrop(page, '[data-testid="compose-body"]', [{ name: 'quote.pdf', type: 'application/pdf', text: '%PDF-1.4 '.repeat(400) }]);
    await page.waitForSelector('[data-testid="compose-file"][data-name="quote.pdf"]:has-text("4 KB")');
    // Past the page's wait for paths (3 s): it did not read the drop too.
    await page.waitForTimeout(4000);
    assert.equal(await page.locator('[data-testid="compose-file"]').count(), 1);
    assert.equal(await base64Adds(page), 0);

    // Too large for email: refused with the sizes, nothing attached.
    await nativeDrop(page, [join(dir, 'files', 'video.mp4')], '[data-testid="composer"]');
    const err = await page.waitForSelector('[data-testid="compose-error"]');
    assert.match(await err.textContent(), /video\.mp4 is 30 MB; email accepts files up to 25 MB/);
    assert.equal(await page.locator('[data-testid="compose-file"]').count(), 1);
    // A file that is gone says so.
    await nativeDrop(page, [join(dir, 'files', 'gone.pdf')], '[data-testid="composer"]');
    await page.waitForSelector('[data-testid="compose-error"]:has-text("cannot read")');
  });

  test('a drop that brings no paths is read by the page', async () => {
    // Dragged from a program that offers contents, not files: after its
    // wait the composer reads the File objects (the base64 way). Paths
    // that came just before belong to the same drop: first a pause, as
    // between two drops by hand.
    await page.waitForTimeout(500);
    await domDrop(page, '[data-testid="compose-body"]', [{ name: 'note.txt', type: 'text/plain', text: 'frame size 54' }]);
    await page.waitForSelector('[data-testid="compose-file"][data-name="note.txt"]');
    assert.equal(await base64Adds(page), 1);
    // In a browser (no native file drop) the page reads at once.
    await page.evaluate(() => (window.wails.flags.enableWailsDragAndDrop = false));
    await domDrop(page, '[data-testid="compose-body"]', [{ name: 'size.txt', type: 'text/plain', text: '54 cm' }]);
    await page.waitForSelector('[data-testid="compose-file"][data-name="size.txt"]');
    assert.equal(await base64Adds(page), 2);
    await page.click('[data-testid="compose-discard"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });
  });

  test('mail dropped elsewhere opens the import dialog with its path', async () => {
    await nativeDrop(page, [join(dir, 'files', 'old-mail.mbox'), join(dir, 'files', 'quote.pdf')], '[data-testid="conversation-list"]');
    await page.waitForSelector('[data-testid="import-dialog"]');
    assert.equal(await page.inputValue('[data-testid="import-path"]'), join(dir, 'files', 'old-mail.mbox'));
    assert.match(await page.textContent('[data-testid="import-dropped-more"]'), /the other 1 dropped item after this one/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="import-dialog"]', { state: 'detached' });
    // A folder is mail too (a Maildir), whatever its name.
    await nativeDrop(page, [join(dir, 'files')], '[data-testid="conversation-list"]');
    await page.waitForSelector('[data-testid="import-dialog"]');
    assert.equal(await page.inputValue('[data-testid="import-path"]'), join(dir, 'files'));
    await page.keyboard.press('Escape');
    // Not mail, not on the composer: says where to drop it.
    await nativeDrop(page, [join(dir, 'files', 'quote.pdf')], '[data-testid="conversation-list"]');
    await page.waitForSelector('[data-testid="notice"]:has-text("drop them on the reply box")');
    assert.equal(await page.locator('[data-testid="import-dialog"]').count(), 0);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});

describe('importing from the first launch', () => {
  let suite;
  let dir;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('firstimport');
    dir = suite.dir;
    mkdirSync(join(dir, 'data'));
    mbox(join(dir, 'old-mail.mbox'));
    ({ server, browser, page } = await startApp(suite));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    suite?.remove();
  });

  test('a dropped mbox opens the import dialog on the first-launch screen', async () => {
    await page.waitForSelector('[data-testid="welcome"]');
    await nativeDrop(page, [join(dir, 'old-mail.mbox')], '[data-testid="welcome"] h1');
    await page.waitForSelector('[data-testid="import-dialog"]');
    assert.equal(await page.inputValue('[data-testid="import-path"]'), join(dir, 'old-mail.mbox'));
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="import-dialog"]', { state: 'detached' });
  });

  test('"Import mail…" imports, the summary counts, the inbox opens', async () => {
    assert.match(await page.textContent('[data-testid="welcome-import"]'), /Import mail from a file or folder/);
    await page.click('[data-testid="welcome-import"]');
    await page.waitForSelector('[data-testid="import-dialog"]');
    assert.equal(await page.inputValue('[data-testid="import-path"]'), '');
    await page.fill('[data-testid="import-path"]', join(dir, 'old-mail.mbox'));
    await page.click('[data-testid="import-start"]');
    const result = await page.waitForSelector('[data-testid="import-result"]');
    const text = await result.textContent();
    assert.match(text, /3 messages imported \(2 new conversations\)/);
    assert.match(text, /1 duplicate skipped/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="welcome"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="conversation-list"]');
    await view(page, 'all');
    await row(page, 'Gift voucher').waitFor();
    await row(page, 'Pedal wobble').waitFor();
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
