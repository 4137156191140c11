// Messaging channels in the window (issue 7), in real Chromium against the
// dev-tagged binary on its own data directory: the demo inbox plus a
// Telegram bot account connected with the real CLI to a local fake of the
// Bot API (e2e/fakebot.mjs). Three Telegram users give the email address of
// a demo customer in a chat, which the real connector turns into identity
// claims and merge suggestions. Checks: the status bar's health lines
// (demo, connected, a revoked token's error with what to do, Retry), the
// merge suggestions panel (reason, Merge with Undo, Not the same), the
// reply channel picker on a customer with email and Telegram (default:
// the channel they last used; a reply sent on Telegram reaches the fake),
// and Settings → Website chat (form, code, sandboxed preview). Run by
// scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { FakeBot } from './fakebot.mjs';
import { launch, openApp, row, view } from './helpers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.TIDINGS_DEV_BIN || join(root, 'build/bin/tidings-dev');
const DIST = join(root, 'frontend/dist');
const TOKEN = '7770001:AAE2E-fake-token_for_tests';

const bob = { id: 9001, first_name: 'Robert', last_name: 'J' };
const grace = { id: 9002, first_name: 'G', last_name: 'Lee' };
const jonas = { id: 9003, first_name: 'Jo', last_name: 'B' };

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

// cli runs a tidings command (asynchronously: the fake Bot API answers from
// this same process).
function cli(dir, args, input = '') {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['--data', dir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill(), 60000);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`tidings ${args.join(' ')}: exit ${code}: ${err}`));
    });
    p.stdin.end(input);
  });
}

// sqlite3 writes the email account of the mail-health test; under CI it
// must be there (scripts/deps.sh installs it).
const hasSqlite = spawnSync('sqlite3', ['-version']).status === 0;
if (!hasSqlite && process.env.CI === 'true') throw new Error('e2e: sqlite3 is missing (apt-get install sqlite3)');

const health = (page, name) => page.locator(`[data-testid="account-health"][data-account="${name}"]`);

describe('messaging channels', () => {
  let dir;
  let fake;
  let server;
  let log = '';
  let browser;
  let page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-e2e-channels-'));
    await cli(dir, ['demo']);
    fake = new FakeBot(TOKEN);
    const api = await fake.start();
    await cli(dir, ['account', 'add', 'telegram', '--name', 'Shop bot', '--token-stdin', '--api-url', api], TOKEN + '\n');
    // Three customers give a demo customer's email address in a chat.
    fake.text(bob, 'Hello, it is Bob. My email is bob@jones-family.example, about the rim');
    fake.text(grace, 'Grace here: grace@leecycling.example');
    fake.text(jonas, 'write me at jonas@berg.example please');
    // An email account whose password is not in the secret store (the
    // keyring was reset): its sync loop stops with what to do. Written
    // with sqlite3 because adding one through the CLI needs a live server.
    if (hasSqlite) {
      const cfg = JSON.stringify({ address: 'owner@shop.example', imap_host: '127.0.0.1', imap_port: 1, imap_security: 'none', smtp_host: '127.0.0.1', smtp_port: 1, smtp_security: 'none' });
      const r = spawnSync('sqlite3', [join(dir, 'tidings.db'), `INSERT INTO accounts (id, channel, name, address, config, created_at) VALUES ('acc_e2e_mail', 'email', 'Owner mail', 'owner@shop.example', '${cfg}', ${Date.now()})`], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
    }

    const port = await freePort();
    server = spawn(BIN, ['-devserver', `127.0.0.1:${port}`, '-assetdir', DIST], {
      env: { ...process.env, TIDINGS_DATA: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`the dev binary exited: ${log.slice(-2000)}`);
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 150) throw new Error('the dev server did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await launch();
    page = await openApp(browser.context, url);
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill();
      await new Promise((r) => server.once('exit', r));
    }
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (process.env.E2E_LOG) console.log(log);
  });

  test('the status bar shows each account: demo accounts say demo, the bot connects', async () => {
    await health(page, 'Shop bot').and(page.locator('[data-state="connected"]')).waitFor();
    const demo = page.locator('[data-testid="account-health"][data-state="demo"]');
    assert.ok((await demo.count()) >= 1, 'the demo accounts show as demo');
    assert.match(await demo.first().textContent(), /demo/);
    assert.equal(await demo.first().locator('[data-testid="health-retry"]').count(), 0, 'no Retry on a demo account');
    assert.match(await health(page, 'Shop bot').textContent(), /connected/);
  });

  test('messages from the bot arrive and three merge suggestions appear', async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid="suggestions-count"]')?.textContent.trim() === '3', null, { timeout: 30000 });
    await page.click('[data-testid="suggestions-open"]');
    const items = page.locator('[data-testid="suggestion"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="suggestion"]').length === 3);
    for (const r of await items.evaluateAll((els) => els.map((e) => e.dataset.reason))) assert.equal(r, 'claimed');
    const bobItem = items.filter({ hasText: 'bob@jones-family.example' });
    assert.match(await bobItem.textContent(), /Gave this address in a chat/);
    assert.match(await bobItem.textContent(), /Bob Jones/);
    assert.match(await bobItem.textContent(), /Robert J/);
  });

  test('Not the same dismisses a suggestion for good', async () => {
    await page.locator('[data-testid="suggestion"]', { hasText: 'jonas@berg.example' }).locator('[data-testid="suggestion-dismiss"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="suggestion"]').length === 2);
    assert.equal(JSON.parse(await cli(dir, ['merge', 'list', '--json'])).length, 2, 'the backend kept the dismissal');
  });

  test('Merge merges, and Undo in the toast takes it back', async () => {
    // Keeping the other side of the pair (the chat's contact) works too.
    const graceSug = page.locator('[data-testid="suggestion"]', { hasText: 'grace@leecycling.example' });
    await graceSug.locator('label.card', { hasText: 'G Lee' }).locator('[data-testid="suggestion-keep"]').check();
    await graceSug.locator('[data-testid="suggestion-accept"]').click();
    await page.waitForSelector('[data-testid="merge-toast"]');
    assert.match(await page.textContent('[data-testid="merge-toast"]'), /Grace Lee merged into G Lee/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="suggestion"]').length === 1);
    await page.click('[data-testid="merge-toast-undo"]');
    await page.waitForSelector('[data-testid="merge-toast"]:has-text("Merge undone")');
    // Grace's contact has only her email again.
    const convs = JSON.parse(await cli(dir, ['conversations', '--json', '--limit', '200']));
    const g = convs.find((c) => c.subject === 'Wholesale enquiry: 20 city bikes');
    assert.deepEqual(g.contact.identities.map((i) => i.channel), ['email']);
  });

  test('merging Bob gives his conversations two reply channels, Telegram first', async () => {
    // The owner keeps Bob Jones (whichever side of the pair he is on).
    const bobSug = page.locator('[data-testid="suggestion"]', { hasText: 'bob@jones-family.example' });
    await bobSug.locator('label.card', { hasText: 'Bob Jones' }).locator('[data-testid="suggestion-keep"]').check();
    await bobSug.locator('[data-testid="suggestion-accept"]').click();
    await page.waitForSelector('[data-testid="merge-toast"]:has-text("Robert J merged into Bob Jones")');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="suggestion"]').length === 0);
    await page.waitForSelector('[data-testid="suggestions-empty"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="suggestions"]', { state: 'detached' });

    await view(page, 'open');
    await row(page, 'Warranty claim: cracked rim').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Warranty claim: cracked rim")');
    await page.waitForFunction(() => /jones-family/.test(document.querySelector('[data-testid="customer"]')?.textContent ?? ''));
    assert.equal((await page.textContent('[data-testid="customer-name"]')).trim(), 'Bob Jones');
    await page.click('[data-action="reply"]');
    const picker = page.locator('[data-testid="reply-channels"]');
    await picker.waitFor();
    assert.equal(await picker.locator('[role="radio"]').count(), 2);
    // Bob last wrote on Telegram: that is the default.
    await page.waitForSelector('[data-testid="reply-channels"] [data-reply-channel="telegram"][aria-checked="true"]');
    assert.equal(await picker.locator('[data-reply-channel="telegram"]').getAttribute('data-default'), 'true');
    await page.waitForSelector('[data-testid="composer"]:has-text("on Telegram")');
    assert.equal(await page.locator('[data-testid="compose-to"]').count(), 0, 'a chat reply has no address fields');

    // The owner picks email: the composer becomes an email reply.
    await picker.locator('[data-reply-channel="email"]').click();
    await page.waitForSelector('[data-testid="reply-channels"] [data-reply-channel="email"][aria-checked="true"]');
    await page.waitForSelector('[data-testid="compose-to"]');
    assert.match(await page.inputValue('[data-testid="compose-to"]'), /bob@jones-family\.example/);

    // Back to Telegram, and send: the fake Bot API receives it in Bob's chat.
    await picker.locator('[data-reply-channel="telegram"]').click();
    await page.waitForSelector('[data-testid="composer"]:has-text("on Telegram")');
    await page.fill('[data-testid="compose-body"]', 'A new rim is on its way, Bob.');
    await page.click('[data-testid="compose-send"]');
    for (let i = 0; i < 100 && fake.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(fake.sent.length, 1);
    assert.equal(fake.sent[0].chat_id, bob.id);
    assert.equal(fake.sent[0].text, 'A new rim is on its way, Bob.');
  });

  test('a revoked token shows the error and what to do next to the account; Retry reconnects', async () => {
    fake.failUpdates({ code: 401, description: 'Unauthorized' });
    const line = health(page, 'Shop bot');
    await page.waitForSelector('[data-testid="account-health"][data-account="Shop bot"][data-state="error"]', { timeout: 30000 });
    assert.match(await line.locator('[data-testid="health-error"]').textContent(), /401/);
    assert.equal(await page.locator('[role="alert"]:has-text("401")').count(), 0, 'no bare alert');
    await line.locator('[data-testid="health-error"]').click();
    const details = page.locator('[data-testid="health-details"]');
    await details.waitFor();
    assert.match(await details.textContent(), /What to do:.*@BotFather/);

    fake.failUpdates(null);
    await line.locator('[data-testid="health-retry"]').click();
    await page.waitForSelector('[data-testid="account-health"][data-account="Shop bot"][data-state="connected"]', { timeout: 30000 });
    assert.equal(await line.locator('[data-testid="health-error"]').count(), 0);
  });

  test('an email account that cannot sync says why and what to do; Retry tries again', { skip: !hasSqlite && 'sqlite3 is not installed (apt-get install sqlite3)' }, async () => {
    const sel = '[data-testid="account-health"][data-account="Owner mail"][data-state="error"]';
    await page.waitForSelector(sel, { timeout: 30000 });
    const line = page.locator(sel);
    assert.match(await line.locator('[data-testid="health-error"]').textContent(), /password/);
    await line.locator('[data-testid="health-error"]').click();
    assert.match(await page.textContent('[data-testid="health-details"]'), /What to do:.*add the account's password again/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="health-details"]', { state: 'detached' });
    // Retry runs the loop again (Mail.Retry); it stops with the same advice.
    // The loop really ran again: the dev binary logs a second failure
    // (reading the missing password may first wait on the OS keyring).
    const failures = () => log.split('mail sync failed account="Owner mail"').length - 1;
    const before = failures();
    await line.locator('[data-testid="health-retry"]').click();
    for (let i = 0; i < 300 && failures() === before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(failures(), before + 1, 'Retry started the sync again');
    await page.waitForSelector(sel, { timeout: 30000 });
    assert.equal(await page.locator('[data-testid="health-retry-error"]').count(), 0);
  });

  test('Settings → Website chat generates the snippet with a sandboxed preview', async () => {
    await page.click('[data-testid="open-settings"]');
    await page.click('[data-nav="website"]');
    await page.click('[data-testid="snippet-open"]');
    const dlg = page.locator('[data-testid="snippet"]');
    await dlg.waitFor();
    // Defaults come from the connected accounts: the bot and the shop's email.
    assert.equal(await dlg.locator('[data-field="telegram"]').inputValue(), 'shop_e2e_bot');
    await page.waitForFunction(() => /t\.me\/shop_e2e_bot/.test(document.querySelector('[data-testid="snippet-code"]')?.value ?? ''));
    await dlg.locator('[data-field="title"]').fill('Questions? Ask the bike shop');
    await page.waitForFunction(() => /Ask the bike shop/.test(document.querySelector('[data-testid="snippet-code"]')?.value ?? ''));
    const frame = dlg.locator('[data-testid="snippet-preview"]');
    assert.equal(await frame.getAttribute('sandbox'), '', 'the preview runs with every sandbox restriction');
    const srcdoc = await frame.getAttribute('srcdoc');
    assert.match(srcdoc, /^<!DOCTYPE html>/);
    assert.match(srcdoc, /Ask the bike shop/);
    // The preview really renders, isolated: its document shows the buttons.
    const f = page.frameLocator('[data-testid="snippet-preview"]');
    await f.locator('a[href="https://t.me/shop_e2e_bot"]').waitFor();

    // Bad input says what is wrong, next to the form.
    await dlg.locator('[data-field="telegram"]').fill('no');
    await page.waitForSelector('[data-testid="snippet-error"]:has-text("not a Telegram bot username")');
    await dlg.locator('[data-field="telegram"]').fill('');
    await dlg.locator('[data-field="email"]').fill('');
    await page.waitForSelector('[data-testid="snippet-error"]:has-text("at least one channel")');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape'); // and the settings
    await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });
  });
});
