// Writing in the window (issue 4), in real Chromium against the dev-tagged
// binary on its own data directory: the demo inbox plus an email account
// "Owner mail" added with the real CLI against a loopback mail service
// (scripts/mailtestd: a real Dovecot and the go-smtp server of the Go
// tests). Checks: a signature set in the settings appears in the composer
// under "-- " and follows the From account without touching the typed
// text; a canned reply made in the settings is inserted with "/" and its
// {first_name} filled from the customer, and a field without a value is
// shown and stops the send; files dropped on the composer are listed with
// sizes, removable, checked against the channel's limit and kept with the
// draft across a reload; Send goes through the outbox to "sent", and the
// SMTP server receives the text, the signature and the file's exact bytes.
// Run by scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, hasDovecot, row, run, startApp, startMailServer, suiteDir, view } from './helpers.mjs';

const USER = 'owner@shop.example';
const PASS = 'e2e-writing-pw';
const dovecot = hasDovecot();

/** settings opens a section of the Settings screen. */
async function settings(page, section) {
  if (!(await page.isVisible('[data-testid="settings"]'))) await page.click('[data-testid="open-settings"]');
  await page.click(`[data-nav="${section}"]`);
  await page.waitForSelector(`[data-testid="settings"] [data-section="${section}"]`);
}

/** closeSettings closes the Settings screen. */
async function closeSettings(page) {
  await page.click('[data-testid="settings-close"]');
  await page.waitForSelector('[data-testid="settings"]', { state: 'detached' });
}

/** pattern is the bytes of a dropped file of this size. */
const pattern = (size) => Uint8Array.from({ length: size }, (_, i) => (i * 7) % 256);

/** drop drops files (name, type, size or text) on a selector, as the OS does. */
async function drop(page, selector, files) {
  const dt = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      // Small files carry a pattern to compare; large ones only their size.
      const data = f.text ?? (f.size > 1 << 20 ? new Uint8Array(f.size) : Uint8Array.from({ length: f.size }, (_, i) => (i * 7) % 256));
      dt.items.add(new File([data], f.name, { type: f.type }));
    }
    return dt;
  }, files);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

/** mimeParts splits a received message into its parts' headers and
 * decoded bodies (enough MIME for what Tidings composes). */
function mimeParts(raw) {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) throw new Error(`no multipart boundary in:\n${raw.slice(0, 500)}`);
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => {
      const at = p.indexOf('\r\n\r\n');
      const head = p.slice(0, at);
      let body = p.slice(at + 4).replace(/\r\n$/, '');
      const enc = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
      let bytes;
      if (enc === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
      else if (enc === 'quoted-printable') {
        body = body.replace(/=\r\n/g, '');
        bytes = Buffer.from(body.replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      } else bytes = Buffer.from(body);
      return { head, bytes };
    });
}

const body = (page) => page.inputValue('[data-testid="compose-body"]');

describe('writing', { skip: !dovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let suite;
  let dir;
  let mail;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('writing');
    dir = suite.dir;
    const env = suite.env;
    mail = await startMailServer(dir, USER, PASS);
    run(BIN, ['--data', join(dir, 'data'), 'demo'], { env });
    run(BIN, ['--data', join(dir, 'data'), 'account', 'add', 'email', '--name', 'Owner mail', '--address', USER,
      '--imap', mail.imap, '--smtp', mail.smtp, '--security', 'none', '--password-stdin'], { env, input: PASS + '\n' });
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

  test('signatures and canned replies are set in the settings', async () => {
    await settings(page, 'signatures');
    const owner = page.locator('[data-testid="signature-settings"] [data-account="Owner mail"]');
    await owner.locator('[data-testid="signature-text"]').fill('Sam\nBluebird Bikes · 01234 567890');
    await owner.locator('[data-testid="signature-save"]').click();
    await owner.locator('text=Saved').waitFor();

    const bot = page.locator('[data-testid="signature-settings"] [data-account="Telegram (demo)"]');
    await bot.locator('[data-testid="signature-text"]').fill('— Bluebird Bikes');
    await bot.locator('[data-testid="signature-save"]').click();
    await bot.locator('text=Saved').waitFor();

    await settings(page, 'canned');
    await page.fill('[data-testid="agent-name"]', 'Sam');
    await page.click('[data-testid="agent-save"]');
    await page.click('[data-testid="canned-add"]');
    await page.fill('[data-testid="canned-name"]', 'Welcome');
    // A misspelt field is refused where it is written.
    await page.fill('[data-testid="canned-body"]', 'Hi {frist_name}');
    await page.click('[data-testid="canned-save"]');
    await page.waitForSelector('[data-testid="canned-error"]:has-text("{frist_name} is no field")');
    await page.fill('[data-testid="canned-body"]', 'Hi {first_name},\nthanks for writing to us.\n{agent_name}');
    await page.click('[data-testid="canned-save"]');
    await page.waitForSelector('[data-testid="canned-item"][data-name="Welcome"]:has-text("{first_name}")');
    await page.click('[data-testid="canned-add"]');
    await page.fill('[data-testid="canned-name"]', 'Shipping');
    await page.fill('[data-testid="canned-body"]', 'Parcels leave on Mondays.');
    await page.click('[data-testid="canned-save"]');
    await page.waitForSelector('[data-testid="canned-item"][data-name="Shipping"]');
    // Reloaded, everything is still there.
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await settings(page, 'signatures');
    assert.equal(await owner.locator('[data-testid="signature-text"]').inputValue(), 'Sam\nBluebird Bikes · 01234 567890');
    await settings(page, 'canned');
    assert.equal(await page.locator('[data-testid="canned-item"]').count(), 2);
    // Edit one, then delete it (a second press confirms).
    const shipping = page.locator('[data-testid="canned-item"][data-name="Shipping"]');
    await shipping.locator('[data-testid="canned-edit"]').click();
    assert.equal(await page.inputValue('[data-testid="canned-body"]'), 'Parcels leave on Mondays.');
    await page.fill('[data-testid="canned-body"]', 'Parcels leave on Mondays, {name}.');
    await page.click('[data-testid="canned-save"]');
    await shipping.locator('text={name}').waitFor();
    await shipping.locator('[data-testid="canned-delete"]').click();
    await shipping.locator('[data-testid="canned-delete-confirm"]').click();
    await shipping.waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid="canned-item"]').count(), 1);
    await closeSettings(page);
  });

  test('a canned reply in a reply takes the customer\'s first name', async () => {
    await view(page, 'all');
    await row(page, 'Brake pads for a 2019 Trek FX').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Brake pads")');
    await page.click('[data-action="reply"]');
    await page.waitForSelector('[data-testid="composer"][data-ready="true"]');
    // The demo account has no signature: the body starts empty.
    assert.equal(await body(page), '');
    await page.focus('[data-testid="compose-body"]');
    await page.keyboard.type('/');
    await page.waitForSelector('[data-testid="canned-picker"]');
    await page.waitForSelector('[data-testid="canned-option"]');
    await page.keyboard.type('welc');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="canned-option"]').length === 1);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="canned-picker"]', { state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-testid="compose-body"]').value !== '');
    assert.equal(await body(page), 'Hi Bob,\nthanks for writing to us.\nSam');
    assert.equal(await page.locator('[data-testid="compose-fields-left"]').count(), 0);
    // A change in the background (here a label) reloads the conversation;
    // the composer stays open with what was written.
    await page.evaluate(async () => {
      const list = await window.go.app.Inbox.Conversations({ status: 'all', limit: 100 });
      const c = list.find((c) => c.subject.startsWith('Brake pads'));
      await window.go.app.Inbox.AddLabel(c.id, 'Writing e2e');
    });
    await page.waitForSelector('[data-testid="label-chip"]:has-text("Writing e2e")');
    assert.equal(await page.locator('[data-testid="composer"]').count(), 1);
    assert.equal(await body(page), 'Hi Bob,\nthanks for writing to us.\nSam');
    // Ctrl+Space opens it anywhere; Esc goes back to the text unchanged.
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('[data-testid="canned-filter"]:focus');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="compose-body"]:focus');
    assert.equal(await body(page), 'Hi Bob,\nthanks for writing to us.\nSam');
    await page.click('[data-testid="compose-discard"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });
  });

  test('a reply moved to another of the customer\'s channels keeps its text and swaps the signature', async () => {
    await view(page, 'all');
    await row(page, 'Order #1001 delayed?').click();
    await page.waitForSelector('[data-testid="subject"]:has-text("Order #1001")');
    await page.click('[data-action="reply"]');
    const picker = page.locator('[data-testid="reply-channels"]');
    await picker.locator('[data-reply-channel="telegram"]').click();
    await page.waitForSelector('[data-testid="composer"][data-ready="true"]:has-text("on Telegram")');
    assert.equal(await body(page), '\n\n— Bluebird Bikes');
    await page.focus('[data-testid="compose-body"]');
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('See you Thursday, Alice.');
    await picker.locator('[data-reply-channel="email"]').click();
    await page.waitForSelector('[data-testid="compose-to"]');
    await page.waitForSelector('[data-testid="composer"][data-ready="true"]');
    assert.equal(await body(page), 'See you Thursday, Alice.');
    await picker.locator('[data-reply-channel="telegram"]').click();
    await page.waitForSelector('[data-testid="composer"][data-ready="true"]:has-text("on Telegram")');
    assert.equal(await body(page), 'See you Thursday, Alice.\n\n— Bluebird Bikes');
    await page.click('[data-testid="compose-discard"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });
  });

  test('a new message: signature follows From, fields, dropped files survive a reload, Send', async () => {
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await page.keyboard.press('c');
    await page.waitForSelector('[data-testid="composer"][data-mode="new"][data-ready="true"]');
    const sig = '\n\n-- \nSam\nBluebird Bikes · 01234 567890';
    const ownerID = await page.locator('[data-testid="compose-from"] option', { hasText: 'Owner mail' }).getAttribute('value');
    assert.equal(await page.inputValue('[data-testid="compose-from"]'), ownerID);
    assert.equal(await body(page), sig);
    await page.keyboard.type('Your parcel is ready.');
    // Another account: its (empty) signature replaces this one, the text stays.
    const demoID = await page.locator('[data-testid="compose-from"] option', { hasText: 'Shop mail (demo)' }).getAttribute('value');
    await page.selectOption('[data-testid="compose-from"]', demoID);
    await page.waitForFunction(() => !document.querySelector('[data-testid="compose-body"]').value.includes('-- '));
    assert.equal(await body(page), 'Your parcel is ready.');
    await page.selectOption('[data-testid="compose-from"]', ownerID);
    await page.waitForFunction(() => document.querySelector('[data-testid="compose-body"]').value.includes('-- \nSam'));
    assert.equal(await body(page), 'Your parcel is ready.' + sig);

    // A recipient Tidings does not know: {first_name} has no value.
    await page.fill('[data-testid="compose-to"]', 'zoe@else.example');
    await page.fill('[data-testid="compose-subject"]', 'Your parcel');
    await page.focus('[data-testid="compose-body"]');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('[data-testid="canned-option"]');
    await page.keyboard.type('welcome');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="canned-option"]').length === 1);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="compose-fields-left"]:has-text("{first_name}")');
    assert.ok((await body(page)).startsWith('Hi {first_name},\nthanks for writing to us.\nSam'));
    await page.click('[data-testid="compose-send"]');
    await page.waitForSelector('[data-testid="compose-error"]:has-text("{first_name} is still in the text")');
    await page.fill('[data-testid="compose-body"]', (await body(page)).replace('{first_name}', 'Zoe'));
    await page.waitForSelector('[data-testid="compose-fields-left"]', { state: 'detached' });

    // Files dropped on the composer: listed with sizes, removable, limited.
    await drop(page, '[data-testid="composer"]', [
      { name: 'invoice.pdf', type: 'application/pdf', size: 3 * 1024 },
      { name: 'note.txt', type: 'text/plain', text: 'frame 54 cm' },
    ]);
    await page.waitForSelector('[data-testid="compose-file"][data-name="note.txt"]');
    assert.match(await page.textContent('[data-testid="compose-file"][data-name="invoice.pdf"]'), /invoice\.pdf\s*3 KB/);
    await page.click('[data-testid="compose-file"][data-name="note.txt"] [data-testid="compose-file-remove"]');
    await page.waitForSelector('[data-testid="compose-file"][data-name="note.txt"]', { state: 'detached' });
    // A pasted screenshot is attached too.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(2048)], 'screenshot.png', { type: 'image/png' }));
      document.querySelector('[data-testid="compose-body"]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('[data-testid="compose-file"][data-name="screenshot.png"]:has-text("2 KB")');
    await page.click('[data-testid="compose-file"][data-name="screenshot.png"] [data-testid="compose-file-remove"]');
    await page.waitForSelector('[data-testid="compose-file"][data-name="screenshot.png"]', { state: 'detached' });
    await drop(page, '[data-testid="compose-body"]', [{ name: 'video.mp4', type: 'video/mp4', size: 26 * 1024 * 1024 }]);
    await page.waitForSelector('[data-testid="compose-error"]:has-text("video.mp4 is 26 MB; Email accepts files up to 25 MB")');
    assert.equal(await page.locator('[data-testid="compose-file"]').count(), 1);

    // A reload (or a crash): text and file come back.
    await page.waitForTimeout(800);
    await page.reload();
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.keyboard.press('c');
    await page.waitForSelector('[data-testid="composer"][data-mode="new"][data-ready="true"]');
    await page.waitForSelector('[data-testid="compose-file"][data-name="invoice.pdf"]');
    assert.equal(await page.inputValue('[data-testid="compose-to"]'), 'zoe@else.example');
    assert.ok((await body(page)).startsWith('Hi Zoe,\nthanks for writing to us.\nSam'));

    // Send: the message is stored with its file and signature, goes out
    // through the outbox, and the SMTP server gets exactly that.
    await page.click('[data-testid="compose-send"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="subject"]:has-text("Your parcel")');
    const msg = page.locator('[data-testid="message"][data-direction="out"]').last();
    await msg.locator('text=invoice.pdf').waitFor();
    assert.match(await msg.textContent(), /Hi Zoe,/);
    const state = msg.locator('[data-testid="outbox-state"]');
    await state.waitFor();
    const handle = await state.elementHandle();
    await page
      .waitForFunction((el) => el.dataset.state === 'sent', handle, { timeout: 30000 })
      .catch(async (e) => assert.fail(`outbox state: got "${await state.textContent()}", want sent (${e.message})`));
    const eml = join(dir, 'mail', 'outgoing', '1.eml');
    for (let i = 0; !existsSync(eml) && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
    const raw = readFileSync(eml, 'latin1');
    assert.match(raw, /^To: <?zoe@else\.example>?\r$/m);
    const parts = mimeParts(raw);
    const text = parts.find((p) => /text\/plain/i.test(p.head) && !/attachment/i.test(p.head)).bytes.toString('utf8');
    assert.ok(text.startsWith('Hi Zoe,\r\nthanks for writing to us.\r\nSam\r\nYour parcel is ready.\r\n\r\n-- \r\nSam\r\nBluebird Bikes · 01234 567890'), text);
    const file = parts.find((p) => /filename="?invoice\.pdf/i.test(p.head));
    assert.ok(file, 'the attachment was sent');
    assert.ok(file.bytes.equals(Buffer.from(pattern(3 * 1024))), 'the attachment arrived byte for byte');
    // The draft is gone: a new message starts afresh.
    await page.keyboard.press('c');
    await page.waitForSelector('[data-testid="composer"][data-mode="new"][data-ready="true"]');
    assert.equal(await page.locator('[data-testid="compose-file"]').count(), 0);
    assert.equal(await body(page), sig);
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
