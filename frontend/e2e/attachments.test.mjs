// Attachments left on the server (issue 3), in real Chromium against the
// dev-tagged binary and a loopback Dovecot (scripts/mailtestd): with the
// download limit set, a new message's text arrives and reads offline while
// its large attachment is only listed (name, size) with a Download button;
// pressing it fetches its message whole from the server (so exports hold
// it too), after which it opens from the store with the original bytes. Run
// by scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, hasDovecot, row, run, startApp, startMailServer, suiteDir } from './helpers.mjs';

const USER = 'owner@shop.example';
const PASS = 'e2e-attachments-pw';
const dovecot = hasDovecot();

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

describe('attachments left on the server', { skip: !dovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let suite;
  let dir;
  let mail;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('attachments');
    dir = suite.dir;
    mail = await startMailServer(dir, USER, PASS);
    run(BIN, ['--data', join(dir, 'data'), 'account', 'add', 'email', '--name', 'Owner mail', '--address', USER,
      '--imap', mail.imap, '--smtp', mail.smtp, '--security', 'none', '--password-stdin'], { env: suite.env, input: PASS + '\n' });
    ({ server, browser, page } = await startApp(suite));
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await mail?.stop();
    suite?.remove();
    if (process.env.E2E_LOG) console.log(server?.log());
  });

  test('a large attachment is listed, downloaded on demand, then opens offline', async () => {
    // The owner's limit (the offline settings' own call), then new mail.
    await page.evaluate(() => window.go.app.Inbox.SetPrefetchLimit(20000));
    run('doveadm', ['-c', mail.doveconf, 'save', '-u', USER, '-m', 'INBOX'], { input: invoiceMessage() });

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
