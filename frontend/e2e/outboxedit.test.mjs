// A failed email is edited and sent again (issue 3, "a failed message can
// be edited and retried"), in real Chromium against the dev-tagged binary
// and a loopback mail service (scripts/mailtestd: a real Dovecot and the
// go-smtp server of the Go tests, which refuses every recipient while
// DIR/reject exists). A new message refused with a 5xx shows "Not sent"
// with the server's reason; Edit opens it in the composer with its
// recipient, subject, text and file; Send, once the server accepts, replaces
// it: one message in the conversation, one message delivered, with the
// edited text and the file. Run by scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, DIST, hasDovecot, launch, openApp, run, serveDev, startMailServer, suiteDir } from './helpers.mjs';

const USER = 'owner@shop.example';
const PASS = 'e2e-outboxedit-pw';
const dovecot = hasDovecot();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('editing a failed message', { skip: !dovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let suite;
  let dir;
  let mail;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('outboxedit');
    dir = suite.dir;
    const env = suite.env;
    mail = await startMailServer(dir, USER, PASS);
    const addrs = mail;
    run(BIN, ['--data', join(dir, 'data'), 'demo'], { env });
    run(BIN, ['--data', join(dir, 'data'), 'account', 'add', 'email', '--name', 'Owner mail', '--address', USER,
      '--imap', addrs.imap, '--smtp', addrs.smtp, '--security', 'none', '--password-stdin'], { env, input: PASS + '\n' });
    server = await serveDev(BIN, DIST, { ...env, TIDINGS_DATA: join(dir, 'data') });
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await mail?.stop();
    suite?.remove();
    if (process.env.E2E_LOG) console.log(server?.log());
  });

  test('refused, edited, sent once with the new text', async () => {
    const reject = join(dir, 'mail', 'reject');
    writeFileSync(reject, '550 5.1.1 Mailbox unavailable\n');
    await sleep(300); // mailtestd looks every 100 ms

    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('c');
    await page.waitForSelector('[data-testid="composer"][data-mode="new"][data-ready="true"]');
    const ownerID = await page.locator('[data-testid="compose-from"] option', { hasText: 'Owner mail' }).getAttribute('value');
    await page.selectOption('[data-testid="compose-from"]', ownerID);
    await page.fill('[data-testid="compose-to"]', 'zoe@else.example');
    await page.fill('[data-testid="compose-subject"]', 'Your parcel');
    await page.fill('[data-testid="compose-body"]', 'Your parcel ships on Monday.');
    const dt = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['frame 54 cm'], 'note.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.dispatchEvent('[data-testid="composer"]', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('[data-testid="composer"]', 'drop', { dataTransfer: dt });
    await page.waitForSelector('[data-testid="compose-file"][data-name="note.txt"]');
    await page.click('[data-testid="compose-send"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="subject"]:has-text("Your parcel")');

    // Refused for good: the state says so, with the server's reason.
    const out = page.locator('[data-testid="message"][data-direction="out"]');
    const state = out.last().locator('[data-testid="outbox-state"]');
    await state.waitFor();
    const handle = await state.elementHandle();
    await page
      .waitForFunction((el) => el.dataset.state === 'failed', handle, { timeout: 30000 })
      .catch(async (e) => assert.fail(`outbox state: got "${await state.textContent()}", want failed (${e.message})`));
    assert.match(await state.textContent(), /Not sent: .*Mailbox unavailable/);

    // Edit: the composer holds what was refused.
    rmSync(reject);
    await sleep(300);
    await state.locator('[data-testid="outbox-edit"]').click();
    await page.waitForSelector('[data-testid="composer"][data-mode="edit"][data-ready="true"]');
    assert.equal(await page.inputValue('[data-testid="compose-to"]'), 'zoe@else.example');
    assert.equal(await page.inputValue('[data-testid="compose-subject"]'), 'Your parcel');
    assert.equal(await page.inputValue('[data-testid="compose-body"]'), 'Your parcel ships on Monday.');
    await page.waitForSelector('[data-testid="compose-file"][data-name="note.txt"]');
    await page.fill('[data-testid="compose-body"]', 'Your parcel ships on Tuesday, sorry for the mix-up.');
    await page.click('[data-testid="compose-send"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });

    // Replaced: one outgoing message, the edited one, sent.
    await page.waitForFunction(() => {
      const out = [...document.querySelectorAll('[data-testid="message"][data-direction="out"]')];
      return out.length === 1 && out[0].textContent.includes('Tuesday') && out[0].querySelector('[data-testid="outbox-state"]')?.dataset.state === 'sent';
    }, null, { timeout: 30000 }).catch(async (e) => assert.fail(`conversation: got ${JSON.stringify(await out.allTextContents())}, want only the edit, sent (${e.message})`));
    await out.first().locator('text=note.txt').waitFor();

    const outgoing = join(dir, 'mail', 'outgoing');
    for (let i = 0; !existsSync(join(outgoing, '1.eml')) && i < 50; i++) await sleep(100);
    await sleep(1000);
    assert.ok(!existsSync(join(outgoing, '2.eml')), 'exactly one message was delivered');
    const raw = readFileSync(join(outgoing, '1.eml'), 'latin1');
    assert.match(raw, /Tuesday, sorry for the mix-up/);
    assert.doesNotMatch(raw, /Monday/);
    assert.match(raw, /filename="?note\.txt/);
    assert.match(raw, /^To: <?zoe@else\.example>?\r$/m);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
