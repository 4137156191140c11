// Export, import, backup, forget and restore through the window's dialogs,
// in real Chromium against the dev-tagged binary, with the files checked on
// disk: the demo inbox to mbox and to JSON (base64 attachments), one
// conversation to CSV, an unwritable destination said before starting, an
// mbox imported (new messages counted, duplicates skipped), a verified
// backup, a contact forgotten after a confirmation naming what goes, and the
// backup restored with the window reloading. The paths are typed into the
// dialogs' path fields (the "Choose…" pickers are native). Run by
// scripts/e2e-browser.sh (EXPORT_URL: a demo workspace of its own, since
// this file imports, forgets and restores).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeDialog, launch, need, openApp, openDialog, sidebarCount, view } from './helpers.mjs';

const APP_URL = process.env.EXPORT_URL || need('APP_URL');
const DEMO_MESSAGES = 49;
const DEMO_CONVERSATIONS = 22;

/** mboxCount counts the messages of an mbox: "From " lines at the start
 * or after a blank line (mboxrd quotes any other). */
function mboxCount(text) {
  let n = 0;
  let prevBlank = true;
  for (const line of text.split('\n')) {
    if (prevBlank && line.startsWith('From ')) n++;
    prevBlank = line === '' || line === '\r';
  }
  return n;
}

/** parseCSV reads RFC 4180 CSV (quoted fields may hold commas, quotes
 * and line breaks) into rows of fields. */
function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** typePath replaces a path field's text. */
async function typePath(page, testid, path) {
  await page.fill(`[data-testid="${testid}"]`, path);
}

describe('export, import, backup and restore', () => {
  let browser;
  let page;
  let dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-e2e-export-'));
    browser = await launch();
    page = await openApp(browser.context, APP_URL);
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.waitForSelector('[data-testid="data-actions"]');
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('everything to mbox through the dialog', async () => {
    await openDialog(page, 'export');
    // The path field has focus, and the dialog holds the keyboard.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'export-path');
    await page.check('[data-scope="all"]');
    await page.click('label:has([data-format="mbox"])');
    const out = join(dir, 'all.mbox');
    await typePath(page, 'export-path', out);
    await page.click('[data-testid="export-start"]');
    const line = await page.textContent('[data-testid="export-result"]');
    assert.match(line, new RegExp(`Exported ${DEMO_MESSAGES} messages in ${DEMO_CONVERSATIONS} conversations \\(.+\\) to ${out}`));
    const text = readFileSync(out, 'latin1');
    assert.equal(mboxCount(text), DEMO_MESSAGES);
    assert.match(text, /^From /);
    await closeDialog(page, 'export');
  });

  test('everything to JSON with attachments inside, the path following the format', async () => {
    await openDialog(page, 'export');
    await typePath(page, 'export-path', join(dir, 'all.mbox'));
    await page.click('label:has([data-format="json"])');
    assert.equal(await page.inputValue('[data-testid="export-path"]'), join(dir, 'all.json'));
    await page.check('[data-attachments="base64"]');
    await page.click('[data-testid="export-start"]');
    await page.waitForSelector('[data-testid="export-result"]');
    const doc = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8'));
    assert.equal(doc.format, 'tidings-export');
    assert.equal(doc.attachments, 'base64');
    assert.equal(doc.conversations.length, DEMO_CONVERSATIONS);
    const messages = doc.conversations.reduce((n, c) => n + c.messages.length, 0);
    assert.equal(messages, DEMO_MESSAGES);
    assert.equal(existsSync(join(dir, 'all.files')), false, 'base64 wrote a files folder');
    await closeDialog(page, 'export');
  });

  test('an unwritable destination is said before starting', async () => {
    await openDialog(page, 'export');
    await typePath(page, 'export-path', join(dir, 'no-such-folder', 'x.mbox'));
    const problem = await page.textContent('[data-testid="export-path-problem"]');
    assert.match(problem, /does not exist/);
    assert.equal(await page.isDisabled('[data-testid="export-start"]'), true);
    // Tab stays in the dialog, and the inbox's keys do not act behind it.
    const current = await page.getAttribute('[data-testid="conversation-list"] [aria-selected="true"]', 'data-id').catch(() => null);
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="export-dialog"]')), `Tab ${i} left the dialog`);
    }
    await page.keyboard.press('j');
    assert.equal(await page.getAttribute('[data-testid="conversation-list"] [aria-selected="true"]', 'data-id').catch(() => null), current);
    await closeDialog(page, 'export');
  });

  test('one conversation to CSV from the conversation pane', async () => {
    await view(page, 'all');
    await page.click('[data-testid="conversation-list"] [role="option"] >> nth=0');
    await page.waitForSelector('[data-testid="subject"]');
    await page.click('[data-action="export"]');
    await page.waitForSelector('[data-testid="export-dialog"]');
    assert.equal(await page.isChecked('[data-scope="conversation"]'), true);
    await page.click('label:has([data-format="csv"])');
    const out = join(dir, 'one.csv');
    await typePath(page, 'export-path', out);
    await page.click('[data-testid="export-start"]');
    const line = await page.textContent('[data-testid="export-result"]');
    const m = line.match(/Exported (\d+) messages? in 1 conversation \(/);
    assert.ok(m, line);
    const rows = parseCSV(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''));
    assert.match(rows[0].join(','), /conversation/i);
    assert.equal(rows.length - 1, Number(m[1]), 'one CSV row per message');
    assert.ok(rows.slice(1).every((r) => r.length === rows[0].length), 'every row has the header\'s columns');
    await closeDialog(page, 'export');
  });

  test('the search results, as found', async () => {
    await page.click('[data-testid="search-input"]');
    await page.keyboard.type('parcel', { delay: 15 });
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="search-results"]');
      return r && r.dataset.query === 'parcel' && r.dataset.loading === 'false';
    });
    const found = Number(await page.getAttribute('[data-testid="search-results"]', 'data-count'));
    assert.ok(found >= 1);
    await openDialog(page, 'export');
    assert.match(await page.textContent('label:has([data-scope="search"])'), /search results for “parcel”/);
    await page.check('[data-scope="search"]');
    await page.click('label:has([data-format="json"])');
    const out = join(dir, 'parcel.json');
    await typePath(page, 'export-path', out);
    await page.click('[data-testid="export-start"]');
    await page.waitForSelector('[data-testid="export-result"]');
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(doc.conversations.length, found);
    await closeDialog(page, 'export');
    await page.click('[data-testid="search-input"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="search-results"]', { state: 'detached' });
  });

  test('importing an mbox counts new messages and skips duplicates', async () => {
    const before = await sidebarCount(page, 'all');
    const mbox = join(dir, 'new.mbox');
    const msg = (i) =>
      `From new${i}@example.org Mon Nov 23 10:0${i}:00 2026\n` +
      `From: New Customer ${i} <new${i}@example.org>\nTo: shop@example.com\n` +
      `Subject: Imported question ${i}\nDate: Mon, 23 Nov 2026 10:0${i}:00 +0000\n` +
      `Message-ID: <imported-${i}@example.org>\n\nHello, question number ${i}.\n\n`;
    writeFileSync(mbox, msg(1) + msg(2));
    await openDialog(page, 'import');
    await typePath(page, 'import-path', mbox);
    await page.click('[data-testid="import-start"]');
    const sum = await page.textContent('[data-testid="import-result"]');
    assert.match(sum, /2 messages imported \(2 new conversations\)/);
    assert.match(sum, /0 duplicates skipped/);
    await page.waitForFunction((n) => Number(document.querySelector('[data-count="all"]')?.textContent) === n, before + 2);
    // The demo export again: everything is already here.
    await typePath(page, 'import-path', join(dir, 'all.mbox'));
    await page.click('[data-testid="import-start"]');
    await page.waitForFunction(() => /49 duplicates skipped/.test(document.querySelector('[data-testid="import-result"]')?.textContent ?? ''));
    assert.match(await page.textContent('[data-testid="import-result"]'), /0 messages imported/);
    await closeDialog(page, 'import');
  });

  test('a long import shows its progress, runs on hidden, and stops on Cancel', async () => {
    const before = await sidebarCount(page, 'all');
    const big = join(dir, 'big.mbox');
    let text = '';
    for (let i = 0; i < 20000; i++) {
      text +=
        `From bulk${i}@example.net Mon Nov 23 09:00:00 2026\nFrom: Bulk ${i} <bulk${i}@example.net>\nTo: shop@example.com\n` +
        `Subject: Bulk question ${i}\nDate: Mon, 23 Nov 2026 09:00:00 +0000\nMessage-ID: <bulk-${i}@example.net>\n\nQuestion ${i}.\n\n`;
    }
    writeFileSync(big, text);
    await openDialog(page, 'import');
    await typePath(page, 'import-path', big);
    await page.click('[data-testid="import-start"]');
    await page.waitForSelector('[data-testid="import-progress"] [role="progressbar"]');
    // Hidden, it goes on in a small bar that opens the dialog again.
    await page.click('button:has-text("Hide (keeps running)")');
    await page.waitForSelector('[data-testid="import-dialog"]', { state: 'detached' });
    await page.waitForFunction(() => /Importing: [1-9][\d,]* of 20,000 messages/.test(document.querySelector('[data-testid="archive-jobs"]')?.textContent ?? ''));
    await page.click('[data-testid="archive-jobs"] button');
    await page.waitForSelector('[data-testid="import-dialog"] [data-testid="import-progress"]');
    await page.click('[data-testid="import-progress-cancel"]');
    const err = await page.textContent('[data-testid="import-error"]');
    const m = err.match(/stopped; the ([\d,]+) messages imported before you stopped are kept/);
    assert.ok(m, err);
    const kept = Number(m[1].replace(/,/g, ''));
    assert.ok(kept > 0 && kept < 20000, `kept ${kept}`);
    await page.waitForFunction((n) => Number(document.querySelector('[data-count="all"]')?.textContent) === n, before + kept);
    await closeDialog(page, 'import');
  });

  test('the settings screen opens the same dialogs', async () => {
    await page.click('[data-testid="open-settings"]');
    await page.click('[data-nav="data"]');
    await page.click('[data-settings-archive="import"]');
    await page.waitForSelector('[data-testid="import-dialog"]');
    assert.equal(await page.locator('[data-testid="settings"]').count(), 0, 'the settings screen stayed open under the dialog');
    await closeDialog(page, 'import');
  });

  test('a backup, a forgotten contact, and the backup restored', async () => {
    const total = await sidebarCount(page, 'all');
    const backup = join(dir, 'inbox-backup.db');
    await openDialog(page, 'backup');
    await typePath(page, 'backup-path', backup);
    await page.click('[data-testid="backup-start"]');
    assert.match(await page.textContent('[data-testid="backup-result"]'), /verified/);
    assert.equal(readFileSync(backup).subarray(0, 15).toString(), 'SQLite format 3');
    assert.ok(statSync(backup).size > 4096);
    await closeDialog(page, 'backup');

    // Forget the open conversation's contact: the confirmation names it.
    await page.click('[data-testid="conversation-list"] [role="option"] >> nth=0');
    await page.waitForSelector('[data-testid="customer-name"]');
    const name = (await page.textContent('[data-testid="customer-name"]')).trim();
    await page.click('[data-testid="contact-forget"]');
    await page.waitForSelector('[data-testid="forget-list"]');
    const list = await page.textContent('[data-testid="forget-list"]');
    assert.match(list, /\d+ conversations?/);
    assert.match(list, new RegExp(`the contact ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // Cancel has the focus: Enter alone deletes nothing.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Cancel');
    await page.click('[data-testid="forget-confirm"]');
    await page.waitForSelector('[data-testid="forget-dialog"]', { state: 'detached' });
    await page.waitForFunction((n) => Number(document.querySelector('[data-count="all"]')?.textContent) < n, total);

    // Restore: checked first, says what it replaces, then the window reloads.
    await openDialog(page, 'restore');
    await typePath(page, 'restore-path', backup);
    await page.click('[data-testid="restore-check"]');
    const plan = await page.textContent('[data-testid="restore-plan"]');
    assert.match(plan, /passed its checks/);
    assert.match(plan, new RegExp(`holds ${total.toLocaleString("en-US")} conversations`));
    assert.match(plan, /replaces everything/);
    assert.match(plan, /before-restore/);
    await page.click('[data-testid="restore-start"]');
    assert.match(await page.textContent('[data-testid="restore-result"]'), /previous inbox is kept at .*before-restore/);
    await page.waitForFunction((n) => Number(document.querySelector('[data-count="all"]')?.textContent) === n, total);
    await closeDialog(page, 'restore');

    // A file that is not a backup is refused before anything changes.
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database, only words');
    await openDialog(page, 'restore');
    await typePath(page, 'restore-path', junk);
    await page.click('[data-testid="restore-check"]');
    assert.match(await page.textContent('[data-testid="restore-check-error"]'), /nothing was changed/);
    assert.equal(await page.locator('[data-testid="restore-start"]').count(), 0);
    await closeDialog(page, 'restore');
    assert.deepEqual(browser.errors, []);
  });
});
