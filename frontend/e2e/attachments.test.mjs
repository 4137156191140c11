// Attachments left on the server (issue 3), in real Chromium against the
// dev-tagged binary and a loopback Dovecot (scripts/mailtestd): with the
// download limit set, a new message's text arrives and reads offline while
// its large attachment is only listed (name, size) with a Download button;
// pressing it fetches its message whole from the server (so exports hold
// it too), after which it opens from the store with the original bytes. Run
// by scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launch, openApp, row } from './helpers.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.TIDINGS_DEV_BIN || join(root, 'build/bin/tidings-dev');
const DIST = join(root, 'frontend/dist');
const USER = 'owner@shop.example';
const PASS = 'e2e-attachments-pw';

const hasDovecot = spawnSync('sh', ['-c', 'command -v dovecot && command -v doveadm']).status === 0;
if (!hasDovecot && process.env.CI === 'true') throw new Error('e2e: dovecot is missing (apt-get install dovecot-imapd)');

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

/** The attachment: 60,000 bytes of a pattern, base64 in the message. */
const file = Buffer.from(Uint8Array.from({ length: 60000 }, (_, i) => (i * 13 + 7) % 256));

function invoiceMessage() {
  const b64 = file.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    'From: Ann Customer <ann@customer.example>',
    `To: ${USER}`,
    'Subject: Invoice with a large scan',
    'Message-ID: <e2e-large-attachment@customer.example>',
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="e2e"',
    '',
    '--e2e',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here is the scan of the invoice, readable before its attachment.',
    '--e2e',
    'Content-Type: application/pdf; name="scan.pdf"',
    'Content-Disposition: attachment; filename="scan.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    b64.trimEnd(),
    '--e2e--',
    '',
  ].join('\r\n');
}

describe('attachments left on the server', { skip: !hasDovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let dir;
  let mail;
  let server;
  let log = '';
  let browser;
  let page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-e2e-attachments-'));
    const home = join(dir, 'home');
    mkdirSync(home);
    const env = { ...process.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: 'disabled:' };
    run('go', ['build', '-o', join(dir, 'mailtestd'), './scripts/mailtestd'], { cwd: root });
    mail = spawn(join(dir, 'mailtestd'), ['-dir', join(dir, 'mail'), '-user', USER, '-pass', PASS], { stdio: ['pipe', 'pipe', 'inherit'] });
    const addrs = JSON.parse(await new Promise((resolve, reject) => {
      createInterface({ input: mail.stdout }).once('line', resolve);
      mail.once('exit', (code) => reject(new Error(`mailtestd exited: ${code}`)));
    }));
    run(BIN, ['--data', join(dir, 'data'), 'account', 'add', 'email', '--name', 'Owner mail', '--address', USER,
      '--imap', addrs.imap, '--smtp', addrs.smtp, '--security', 'none', '--password-stdin'], { env, input: PASS + '\n' });
    const port = await freePort();
    server = spawn(BIN, ['-devserver', `127.0.0.1:${port}`, '-assetdir', DIST], {
      env: { ...env, TIDINGS_DATA: join(dir, 'data') },
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
    if (mail && mail.exitCode === null) {
      mail.stdin.end();
      await new Promise((r) => mail.once('exit', r));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (process.env.E2E_LOG) console.log(log);
  });

  test('a large attachment is listed, downloaded on demand, then opens offline', async () => {
    // The owner's limit (the offline settings' own call), then new mail.
    await page.evaluate(() => window.go.app.Inbox.SetPrefetchLimit(20000));
    run('doveadm', ['-c', join(dir, 'mail', 'dovecot', 'dovecot.conf'), 'save', '-u', USER, '-m', 'INBOX'], { input: invoiceMessage() });

    const r = row(page, 'Invoice with a large scan');
    await r.waitFor({ timeout: 30000 });
    await r.click();
    await page.waitForSelector('text=readable before its attachment');
    const item = page.locator('[data-testid="attachment"]', { hasText: 'scan.pdf' });
    await item.waitFor();
    assert.equal(await item.getAttribute('data-fetched'), 'false', 'the large attachment is only listed');
    assert.match(await item.textContent(), /KB|kB/, 'its size is shown');

    await item.locator('[data-testid="attachment-download"]').click();
    await page.waitForSelector('[data-testid="attachment"][data-fetched="true"]:has-text("scan.pdf")', { timeout: 30000 });
    await item.locator('[data-testid="attachment-open"]').waitFor();

    // The stored bytes are the original's.
    const id = await page.evaluate(async () => {
      const convs = await window.go.app.Inbox.Conversations({ status: 'all', limit: 10 });
      const c = convs.find((c) => c.subject.includes('Invoice with a large scan'));
      const th = await window.go.app.Inbox.Thread(c.id);
      return th.messages[0].attachments.find((a) => a.name === 'scan.pdf').id;
    });
    const got = await page.evaluate((id) => window.go.app.Inbox.AttachmentData(id), id);
    assert.equal(got.name, 'scan.pdf');
    assert.ok(Buffer.from(got.data, 'base64').equals(file), 'downloaded bytes equal the original');
  });
});
