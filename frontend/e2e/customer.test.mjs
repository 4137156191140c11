// One customer across channels, and what each channel accepts (issue 7), in
// real Chromium against the dev-tagged binary on its own data directory:
// the demo inbox plus a Telegram bot connected with the real CLI to the
// local fake of the Bot API (e2e/fakebot.mjs), which also carries a
// Telegram Business chat. Checks: a Business chat whose customer last wrote
// 27 h ago shows "reply window closed 3 h ago" in the reply picker and the
// composer refuses to send, with the reason; a chat with the bot shows its
// limits (4,096 characters, 50 MB files), counts characters and blocks a
// longer reply, then sends a shorter one; the customer panel of a customer
// on email and Telegram lists every message of both in one timeline,
// newest first, and opens the conversation of an entry. Run by
// scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
const TOKEN = '7770002:AAE2E-customer-token_for_tests';
const owner = { id: 5000, first_name: 'Marta', last_name: 'Shop' };
const carla = { id: 5001, first_name: 'Carla', last_name: 'Late' };
const dora = { id: 5002, first_name: 'Dora', last_name: 'Direct' };
const bob = { id: 5003, first_name: 'Robert', last_name: 'J' };

// tidings runs the CLI on the test's data directory (asynchronously: the
// fake Bot API answers from this process).
function tidings(dir, args, input = '') {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['--data', dir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString()) : reject(new Error(`tidings ${args[0]}: exit ${code}: ${Buffer.concat(err)}`))));
    p.stdin.end(input);
  });
}

// push queues a raw update on the fake, as Telegram would send it.
function push(fake, update) {
  fake.updates.push({ update_id: fake.nextUpdate++, ...update });
  for (const w of fake.waiters.splice(0)) w();
}

// shot saves a screenshot when E2E_SHOTS names a directory (for a look).
async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, `customer-${name}.png`) });
}

const user = (u) => ({ id: u.id, is_bot: false, first_name: u.first_name, last_name: u.last_name });

async function until(what, fn, ms = 30000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (await fn()) return;
  }
  throw new Error(`e2e: timed out waiting for ${what}`);
}

describe('one customer across channels, and what each channel accepts', () => {
  let dir;
  let fake;
  let server;
  let log = '';
  let browser;
  let page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-e2e-customer-'));
    await tidings(dir, ['demo']);
    fake = new FakeBot(TOKEN);
    const api = await fake.start();
    await tidings(dir, ['account', 'add', 'telegram', '--name', 'Shop bot', '--token-stdin', '--api-url', api], TOKEN + '\n');
    const now = Math.floor(Date.now() / 1000);
    // The owner connected the bot to their Telegram Business account; Carla
    // wrote to the owner 27 hours ago.
    push(fake, { business_connection: { id: 'bc-e2e', user: user(owner), user_chat_id: owner.id, date: now - 200000, is_enabled: true } });
    push(fake, {
      business_message: {
        message_id: 901,
        business_connection_id: 'bc-e2e',
        from: user(carla),
        chat: { id: carla.id, type: 'private', first_name: carla.first_name, last_name: carla.last_name },
        date: now - 27 * 3600,
        text: 'Do you still have the blue teapot?',
      },
    });
    fake.text(dora, 'Hello bot, can you send me the catalogue?');
    // Bob, a demo email customer, writes on Telegram and gives his address.
    fake.text(bob, 'Bob here, bob@jones-family.example, about the rim');

    const port = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    server = spawn(BIN, ['-devserver', `127.0.0.1:${port}`, '-assetdir', join(root, 'frontend/dist')], {
      env: { ...process.env, TIDINGS_DATA: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
    const url = `http://127.0.0.1:${port}/`;
    await until('the dev server', async () => {
      if (server.exitCode !== null) throw new Error(`the dev binary exited: ${log.slice(-2000)}`);
      return fetch(url).then((r) => r.ok, () => false);
    });
    // The window's runner receives the three chats; Bob's address makes a
    // merge suggestion, which the owner accepts.
    await until('the bot chats', async () => {
      const convs = JSON.parse(await tidings(dir, ['conversations', '--json', '--limit', '200']));
      return convs.filter((c) => c.channel === 'telegram' && /Late|Direct|Robert/.test(c.contact?.name ?? '')).length === 3;
    });
    const sug = JSON.parse(await tidings(dir, ['merge', 'list', '--json'])).find((s) => JSON.stringify(s).includes('jones-family'));
    assert.ok(sug, 'Bob’s address in the chat made a merge suggestion');
    await tidings(dir, ['merge', 'accept', sug.id]);

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

  test('a Business chat past its 24-hour window says when it closed and refuses the reply', async () => {
    await view(page, 'all');
    await row(page, 'blue teapot').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("blue teapot")');
    await page.click('[data-action="reply"]');
    const win = page.locator('[data-testid="reply-window"]');
    await win.waitFor();
    assert.equal(await win.getAttribute('data-open'), 'false');
    assert.match(await win.textContent(), /reply window closed 3 h ago/);
    assert.match(await page.textContent('[data-testid="reply-limits"]'), /up to 4,096 characters/);
    await page.fill('[data-testid="compose-body"]', 'Yes, we still have it!');
    const blocked = page.locator('[data-testid="compose-blocked"]');
    await blocked.waitFor();
    assert.match(await blocked.textContent(), /Telegram allows replies only within 24 h of the customer's last message \(reply window closed 3 h ago\)/);
    assert.ok(await page.locator('[data-testid="compose-send"]').isDisabled(), 'Send is disabled');
    await shot(page, 'window-closed');
    await page.focus('[data-testid="compose-body"]');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid="compose-error"]:has-text("within 24 h")');
    assert.equal(fake.sent.length, 0, 'nothing reached Telegram');
    await page.click('[data-testid="compose-discard"]');
  });

  test('a chat with the bot counts characters, refuses a reply over 4,096 and sends a shorter one', async () => {
    await row(page, 'catalogue').click();
    // Reply only once the pane shows it: a conversation that changes under
    // an open composer closes it.
    await page.waitForSelector('[data-testid="subject"]:has-text("catalogue")');
    await page.click('[data-action="reply"]');
    const limits = page.locator('[data-testid="reply-limits"]');
    await limits.waitFor();
    assert.match(await limits.textContent(), /up to 4,096 characters/);
    assert.match(await limits.textContent(), /files up to 50 MB/);
    assert.equal(await page.locator('[data-testid="reply-window"]').count(), 0, 'a chat with the bot has no reply window');
    await page.fill('[data-testid="compose-body"]', 'x'.repeat(4100));
    const counter = page.locator('[data-testid="compose-counter"]');
    await page.waitForSelector('[data-testid="compose-counter"]:has-text("4,100 / 4,096")');
    assert.match(await counter.getAttribute('class'), /over/);
    assert.match(await page.textContent('[data-testid="compose-blocked"]'), /Telegram allows 4,096 characters in a message; this reply has 4,100/);
    assert.ok(await page.locator('[data-testid="compose-send"]').isDisabled());
    await shot(page, 'too-long');

    await page.fill('[data-testid="compose-body"]', 'Here is our catalogue: ünïcode ✓');
    await page.waitForSelector('[data-testid="compose-counter"]:has-text("32 / 4,096")');
    assert.equal(await page.locator('[data-testid="compose-blocked"]').count(), 0);
    await page.click('[data-testid="compose-send"]');
    await until('the reply at the fake Bot API', () => fake.sent.length === 1, 15000);
    assert.equal(fake.sent[0].chat_id, dora.id);
    assert.equal(fake.sent[0].text, 'Here is our catalogue: ünïcode ✓');
  });

  test('the customer panel lists every message on email and Telegram in one timeline', async () => {
    await row(page, 'Warranty claim: cracked rim').click();
    await page.waitForSelector('[data-testid="customer-name"]:has-text("Bob Jones")');
    const tl = page.locator('[data-testid="customer-timeline"]');
    await page.waitForSelector('[data-testid="customer-timeline"] [data-entry-channel="telegram"]');
    const entries = await tl.locator('button').evaluateAll((els) =>
      els.map((e) => ({ channel: e.dataset.entryChannel, conv: e.dataset.conversation, text: e.textContent })),
    );
    assert.ok(entries.some((e) => e.channel === 'email'), 'the email messages are in the timeline');
    assert.equal(entries[0].channel, 'telegram', 'newest first: the Telegram message of a moment ago');
    assert.match(entries[0].text, /about the rim/);
    await shot(page, 'timeline');
    assert.ok(new Set(entries.map((e) => e.conv)).size >= 2, 'entries from at least two conversations');
    // An entry opens its conversation.
    await tl.locator('[data-entry-channel="telegram"]').first().click();
    await page.waitForSelector('[data-testid="timeline"] [data-testid="message"]:has-text("about the rim")');
    assert.equal(await page.locator('[data-testid="customer-timeline"] button.current').first().getAttribute('data-conversation'), entries[0].conv);
  });
});
