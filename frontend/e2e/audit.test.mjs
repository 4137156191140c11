// What issues #3 and #4 ask of the window that no other suite proves, in
// real Chromium against the dev binary on a workspace of its own (the demo
// plus an email account on a real Dovecot and the go-smtp submission server
// of scripts/mailtestd): new mail arriving while the window is open; quoted
// history and the signature folded; a flag set in the window reaching the
// server; Enter, r, f, l, n and p from the
// keyboard; a reply and a forward leaving through SMTP with their threading
// headers; a refused send showing the server's reason and Retry sending it;
// a link in an HTML mail going nowhere in the frame and opening outside
// with its real address; bulk label and mark read; the unread badge; snooze
// to a chosen time; the dark theme following the system; sync progress and
// a sign-in warning in the status bar; the account form filling in a known
// provider; accounts and channels as sidebar views; and a draft that
// survives the app being killed. Run by scripts/e2e-browser.sh
// (E2E_FILES="e2e/audit.test.mjs" runs it alone).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, DIST, hasDovecot, launch, openApp, row, run, serveDev, startMailServer, suiteDir, view } from './helpers.mjs';

const USER = 'owner@shop.example';
const PASS = 'e2e-audit-pw';
const dovecot = hasDovecot();

const date = () => new Date().toUTCString().replace('GMT', '+0000');

const brakes = () =>
  [
    'From: Ann Customer <ann@customer.example>',
    `To: ${USER}`,
    'Subject: Audit: brakes squeak',
    'Message-ID: <audit-brakes@customer.example>',
    `Date: ${date()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'My brakes squeak again since the service.',
    '',
    'On Mon, 2 Mar 2026, Shop wrote:',
    '> We adjusted the pads and the cable.',
    '> Call us if anything is off.',
    '',
    '-- ',
    'Ann Customer',
    'Head of Cycling, Customer Ltd',
    '',
  ].join('\r\n');

const TRACK = 'https://carrier.example/track/123';
const parcel = () =>
  [
    'From: Bea Buyer <bea@customer.example>',
    `To: ${USER}`,
    'Subject: Audit: where is my parcel',
    'Message-ID: <audit-parcel@customer.example>',
    `Date: ${date()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The carrier says: ${TRACK}`,
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>The carrier says: <a href="${TRACK}">follow your parcel</a></p>`,
    '--b--',
    '',
  ].join('\r\n');

describe('audit: what the issues ask of the window', { skip: !dovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let suite;
  let dir;
  let env;
  let mail;
  let server;
  let browser;
  let page;
  const popups = [];
  const outside = [];

  const outgoing = () => {
    const d = join(dir, 'mail', 'outgoing');
    return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.eml')).sort((a, b) => parseInt(a) - parseInt(b)) : [];
  };
  const sent = (i) => readFileSync(join(dir, 'mail', 'outgoing', outgoing()[i]), 'utf8');
  const blur = () => page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const openConv = async (subject) => {
    await view(page, 'all');
    await row(page, subject).click();
    await page.waitForSelector(`[data-testid="subject"]:has-text("${subject}")`);
  };

  before(async () => {
    suite = suiteDir('audit');
    dir = suite.dir;
    env = { ...suite.env, TIDINGS_DATA: join(dir, 'data') };
    mail = await startMailServer(dir, USER, PASS);
    run(BIN, ['--data', join(dir, 'data'), 'demo'], { env });
    run(BIN, ['--data', join(dir, 'data'), 'account', 'add', 'email', '--name', 'Owner mail', '--address', USER,
      '--imap', mail.imap, '--smtp', mail.smtp, '--security', 'none', '--password-stdin'], { env, input: PASS + '\n' });
    server = await serveDev(BIN, DIST, env);
    browser = await launch(['--host-resolver-rules=MAP carrier.example 127.0.0.1:9']);
    page = await openApp(browser.context, server.url);
    browser.context.on('page', (p) => popups.push(p.url())); // after the app's own page
    browser.context.on('request', (r) => {
      if (r.url().includes('carrier.example')) outside.push(r.url());
    });
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
    await mail?.stop();
    suite?.remove();
    if (process.env.E2E_LOG) console.log(server?.log());
  });

  test('new mail on the server appears while the window is open', async () => {
    await view(page, 'open');
    const conf = mail.doveconf;
    run('doveadm', ['-c', conf, 'save', '-u', USER, '-m', 'INBOX'], { input: brakes() });
    run('doveadm', ['-c', conf, 'save', '-u', USER, '-m', 'INBOX'], { input: parcel() });
    await row(page, 'Audit: brakes squeak').waitFor();
    await row(page, 'Audit: where is my parcel').waitFor();
  });

  test('Enter opens: the conversation a view shows by itself stays unread until then', async () => {
    await view(page, 'closed');
    await view(page, 'open');
    const first = page.locator('[role="option"]').first();
    const id = await first.getAttribute('data-id');
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${id}"]`);
    await page.waitForTimeout(1500); // past the linger that marks a passed-over row read
    assert.ok(await first.evaluate((el) => el.classList.contains('unread')), 'the shown row was marked read without being opened');
    await blur();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => !document.querySelector(`[role="option"][data-id="${id}"]`)?.classList.contains('unread'), id);
  });

  test('quoted history and the signature start folded and open on a click', async () => {
    await openConv('Audit: brakes squeak');
    const msg = page.locator('[data-testid="message"]').first();
    await msg.locator('text=My brakes squeak again').waitFor();
    assert.equal(await msg.locator('text=We adjusted the pads').count(), 0, 'the quote is shown unfolded');
    assert.equal(await msg.locator('text=Head of Cycling').count(), 0, 'the signature is shown unfolded');
    const folds = msg.locator('button.fold');
    assert.equal(await folds.count(), 2);
    await folds.nth(0).click();
    await msg.locator('text=We adjusted the pads').waitFor();
    await folds.nth(1).click();
    await msg.locator('text=Head of Cycling').waitFor();
  });

  test('a message flagged in the window is \\Flagged on the server, and back', async () => {
    const conf = mail.doveconf;
    const flags = () => run('doveadm', ['-c', conf, 'fetch', '-u', USER, 'flags', 'mailbox', 'INBOX', 'header', 'Message-ID', 'audit-brakes@customer.example']);
    await openConv('Audit: brakes squeak');
    const star = page.locator('[data-testid="message"]').first().locator('[data-testid="flag"]');
    assert.equal(await star.getAttribute('aria-pressed'), 'false');
    await star.click();
    await page.waitForSelector('[data-testid="message"] [data-testid="flag"][aria-pressed="true"]');
    await waitUntil(() => /\\Flagged/.test(flags()), 'the flag reached the server');
    await star.click();
    await page.waitForSelector('[data-testid="message"] [data-testid="flag"][aria-pressed="false"]');
    await waitUntil(() => !/\\Flagged/.test(flags()), 'the unflag reached the server');
  });

  test('r, f, l, n and p from the keyboard', async () => {
    await openConv('Audit: brakes squeak');
    await blur();
    await page.keyboard.press('r');
    await page.waitForSelector('[data-testid="composer"][data-mode="reply"]');
    assert.match(await page.inputValue('[data-testid="compose-to"]'), /ann@customer\.example/);
    await page.click('[data-testid="compose-discard"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });

    await blur();
    await page.keyboard.press('f');
    await page.waitForSelector('[data-testid="composer"][data-mode="forward"]');
    assert.equal(await page.inputValue('[data-testid="compose-to"]'), '');
    assert.match(await page.inputValue('[data-testid="compose-subject"]'), /^Fwd: Audit: brakes squeak/);
    assert.match(await page.inputValue('[data-testid="compose-body"]'), /My brakes squeak again/);
    await page.click('[data-testid="compose-discard"]');
    await page.waitForSelector('[data-testid="composer"]', { state: 'detached' });

    await blur();
    await page.keyboard.press('l');
    await page.waitForSelector('[data-testid="label-picker"] input:focus');
    await page.keyboard.type('Brakes');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="label-chip"]:has-text("Brakes")');

    await blur();
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid="note-input"]:focus');
    await page.keyboard.type('Offer a free check.');
    await page.click('[data-testid="note-submit"]');
    await page.locator('[data-testid="note"]', { hasText: 'Offer a free check.' }).waitFor();

    await blur();
    const id = await page.getAttribute('[data-testid="conversation"]', 'data-thread-id');
    await page.keyboard.press('p');
    await view(page, 'pending');
    await page.waitForSelector(`[role="option"][data-id="${id}"][data-status="pending"]`);
    // Waiting on the customer, back to Open, pending again, closed, reopened.
    await page.click(`[role="option"][data-id="${id}"]`);
    await page.click('[data-action="open"]');
    await view(page, 'open');
    await page.waitForSelector(`[role="option"][data-id="${id}"][data-status="open"]`);
    await page.click(`[role="option"][data-id="${id}"]`);
    await page.click('[data-action="pending"]');
    await view(page, 'pending');
    await page.click(`[role="option"][data-id="${id}"]`);
    await page.waitForSelector(`[data-testid="conversation"][data-thread-id="${id}"] [data-testid="status"]`);
    await blur();
    await page.keyboard.press('e');
    await view(page, 'closed');
    await page.click(`[role="option"][data-id="${id}"]`);
    await page.click('[data-action="reopen"]');
    await view(page, 'open');
    await page.waitForSelector(`[role="option"][data-id="${id}"]`);
  });

  test('a reply and a forward from the window leave through SMTP with their headers', async () => {
    const before = outgoing().length;
    await openConv('Audit: brakes squeak');
    await page.click('[data-action="reply"]');
    await page.waitForSelector('[data-testid="composer"][data-mode="reply"][data-ready="true"]');
    await page.fill('[data-testid="compose-body"]', 'We will look at them on Thursday.');
    await page.click('[data-testid="compose-send"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="message"]').length === n, 2);
    await page.waitForSelector('[data-testid="outbox-state"][data-state="sent"]');
    await waitUntil(() => outgoing().length === before + 1, 'the reply reached the SMTP server');
    const reply = sent(before);
    assert.match(reply, /^In-Reply-To: <audit-brakes@customer\.example>/m);
    assert.match(reply, /^References: <audit-brakes@customer\.example>/m);
    assert.match(reply, /^To: .*ann@customer\.example/m);
    assert.match(reply, /We will look at them on Thursday\./);

    await page.click('[data-action="forward"]');
    await page.waitForSelector('[data-testid="composer"][data-mode="forward"][data-ready="true"]');
    await page.fill('[data-testid="compose-to"]', 'workshop@bikes.example');
    await page.click('[data-testid="compose-send"]');
    await waitUntil(() => outgoing().length === before + 2, 'the forward reached the SMTP server');
    const fwd = sent(before + 1);
    assert.match(fwd, /^Subject: Fwd: Audit: brakes squeak/m);
    assert.match(fwd, /^To: .*workshop@bikes\.example/m);
    assert.match(fwd, /My brakes squeak again/);
  });

  test('a send the server refuses says why; Retry sends it once accepted', async () => {
    const before = outgoing().length;
    writeFileSync(join(dir, 'mail', 'reject'), '550 5.1.1 No such user here'); // mailtestd refuses while it exists
    await new Promise((r) => setTimeout(r, 500)); // mailtestd looks every 100 ms
    await openConv('Audit: where is my parcel');
    await page.click('[data-action="reply"]');
    await page.waitForSelector('[data-testid="composer"][data-mode="reply"][data-ready="true"]');
    await page.fill('[data-testid="compose-body"]', 'It leaves today.');
    await page.click('[data-testid="compose-send"]');
    const failed = page.locator('[data-testid="outbox-state"][data-state="failed"]');
    await failed.waitFor();
    assert.match(await failed.textContent(), /No such user here/);
    assert.equal(outgoing().length, before);
    rmSync(join(dir, 'mail', 'reject'));
    await new Promise((r) => setTimeout(r, 500)); // mailtestd looks every 100 ms
    await failed.locator('button', { hasText: 'Retry' }).click();
    await page.waitForSelector('[data-testid="outbox-state"][data-state="sent"]');
    await waitUntil(() => outgoing().length === before + 1, 'the retried reply reached the SMTP server');
    assert.match(sent(before), /It leaves today\./);
  });

  test('a link in an HTML mail goes nowhere in the frame and opens outside with its real address', async () => {
    await openConv('Audit: where is my parcel');
    await page.waitForSelector('[data-testid="html-frame"][data-loaded="1"]');
    await page.evaluate(() => {
      window.__opened = [];
      window.runtime.BrowserOpenURL = (u) => window.__opened.push(u);
    });
    const href = page.url();
    await page.frameLocator('[data-testid="html-frame"]').locator('a', { hasText: 'follow your parcel' }).click();
    await page.waitForTimeout(500);
    assert.equal(page.url(), href, 'the window navigated');
    assert.deepEqual(popups, [], 'a popup opened');
    assert.deepEqual(outside, [], 'a request left for the link');
    const links = page.locator('[data-testid="html-body"] details.links');
    await links.locator('summary').click();
    assert.equal((await links.locator('.url').first().textContent()).trim(), TRACK);
    await links.locator('button.linkish').first().click();
    assert.deepEqual(await page.evaluate(() => window.__opened), [TRACK]);
    assert.equal(page.url(), href);
  });

  test('the Open badge counts unread open conversations; bulk mark read lowers it', async () => {
    await view(page, 'open');
    const unreadOpen = () =>
      page.evaluate(async () => (await window.go.app.Inbox.Conversations({ status: 'open', limit: 1000 })).filter((c) => c.unread_count > 0).map((c) => c.id));
    const badge = async () => Number((await page.locator('[data-view="open"] .unread').textContent()).trim());
    const ids = await unreadOpen();
    assert.ok(ids.length >= 3, `want at least 3 unread open conversations, got ${ids.length}`);
    await page.waitForFunction((n) => Number(document.querySelector('[data-view="open"] .unread')?.textContent) === n, ids.length);
    // Two unread rows drawn in the list, selected together.
    const drawn = await page.locator('[role="option"].unread').evaluateAll((els) => els.slice(-2).map((e) => e.dataset.id));
    assert.equal(drawn.length, 2);
    for (const id of drawn) await page.click(`[role="option"][data-id="${id}"]`, { modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="bulk-bar"]:has-text("2 selected")');
    await page.click('[data-bulk="read"]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-view="open"] .unread')?.textContent) === n, ids.length - 2);
    assert.equal(await badge(), (await unreadOpen()).length);
    for (const id of drawn) assert.ok(!(await unreadOpen()).includes(id));
  });

  test('bulk label puts the label on every selected conversation', async () => {
    await view(page, 'open');
    await page.keyboard.press('Escape');
    const ids = await page.locator('[role="option"]').evaluateAll((els) => els.slice(0, 3).map((e) => e.dataset.id));
    for (const id of ids) await page.click(`[role="option"][data-id="${id}"]`, { modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="bulk-bar"]:has-text("3 selected")');
    await page.click('[data-bulk="label"]');
    await page.fill('[data-testid="bulk-bar"] [data-testid="label-picker"] input', 'Audited');
    await page.keyboard.press('Enter');
    await page.click('[data-label="Audited"]');
    for (const id of ids) await page.waitForSelector(`[role="option"][data-id="${id}"]`);
    const labelled = await page.evaluate(async () => (await window.go.app.Inbox.Conversations({ status: 'all', label: 'Audited', limit: 100 })).map((c) => c.id));
    assert.deepEqual(labelled.sort(), [...ids].sort());
  });

  test('snooze until a time chosen in the picker', async () => {
    await view(page, 'open');
    const id = await page.getAttribute('[role="option"]', 'data-id');
    await page.click(`[role="option"][data-id="${id}"]`);
    await blur();
    await page.keyboard.press('s');
    const picker = page.locator('[data-testid="snooze-picker"]');
    const when = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    when.setHours(9, 30, 0, 0);
    const local = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}T09:30`;
    await picker.locator('input[type="datetime-local"]').fill(local);
    await picker.locator('button[type="submit"]').click();
    await page.waitForSelector(`[role="option"][data-id="${id}"]`, { state: 'detached' });
    const c = await page.evaluate(async (id) => (await window.go.app.Inbox.Conversations({ status: 'snoozed', limit: 100 })).find((c) => c.id === id), id);
    assert.ok(c, 'not in Snoozed');
    assert.equal(new Date(c.snoozed_until).getTime(), when.getTime());
  });

  test('the theme follows the system', async () => {
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await bg(), 'rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await bg(), 'rgb(27, 29, 34)');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('the status bar shows sync progress and a sign-in about to lapse', async () => {
    const acct = await page.evaluate(async () => (await window.go.app.Inbox.Overview()).accounts.find((a) => a.name === 'Owner mail'));
    const line = page.locator('[data-testid="account-health"][data-account="Owner mail"]');
    await line.waitFor();
    const emit = (st) => page.evaluate((st) => window.runtime.EventsEmit('accounts:status', st), st);
    const base = { account_id: acct.id, name: 'Owner mail', last_sync_at: '', error: '', hint: '', retrying: false };
    await emit({ ...base, state: 'syncing', done: 400, total: 1000 });
    await line.locator('progress[value="400"][max="1000"]').waitFor();
    assert.match(await line.textContent(), /400 of 1,000/);
    await emit({ ...base, state: 'idle', done: 1000, total: 1000, warning: 'Owner mail: the sign-in expires on 4 Mar 2027' });
    await line.locator('[data-testid="health-warning"]:has-text("expires on 4 Mar 2027")').waitFor();
    assert.equal(await line.locator('progress').count(), 0);
  });

  test('the account form fills in the servers of a known provider', async () => {
    await page.click('[data-testid="add-account"]');
    await page.waitForSelector('[data-testid="account-form"]');
    await page.fill('[data-testid="account-address"]', 'ann@gmail.com');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid="account-imap-host"]')?.value === 'imap.gmail.com');
    assert.equal(await page.inputValue('[data-testid="account-smtp-host"]'), 'smtp.gmail.com');
    assert.equal(await page.inputValue('[data-testid="account-imap-port"]'), '993');
    await page.click('[data-testid="account-form"] button:has-text("Cancel")');
    await page.waitForSelector('[data-testid="account-form"]', { state: 'detached' });
  });

  test('accounts and channels are sidebar views', async () => {
    const rows = () => page.locator('[role="option"]').evaluateAll((els) => els.map((e) => e.dataset.id).sort());
    const want = (q) => page.evaluate(async (q) => (await window.go.app.Inbox.Conversations({ status: 'all', query: q, limit: 1000 })).map((c) => c.id).sort(), q);
    const all = await page.evaluate(async () => (await window.go.app.Inbox.Conversations({ status: 'all', limit: 1000 })).length);

    await page.click('[data-account-view="Owner mail"]');
    await page.waitForSelector('[data-account-view="Owner mail"][aria-current="page"]');
    const acct = await page.evaluate(async () => (await window.go.app.Inbox.Overview()).accounts.find((a) => a.name === 'Owner mail').id);
    const mine = await want('account:' + acct);
    assert.ok(mine.length >= 2 && mine.length < all, `Owner mail: ${mine.length} of ${all}`);
    await page.waitForFunction((n) => document.querySelectorAll('[role="option"]').length === n, mine.length);
    assert.deepEqual(await rows(), mine);
    await row(page, 'Audit: where is my parcel').waitFor();

    await page.click('[data-channel-view="telegram"]');
    await page.waitForSelector('[data-channel-view="telegram"][aria-current="page"]');
    const tg = await want('channel:telegram');
    assert.ok(tg.length > 0 && tg.length < all, `telegram: ${tg.length} of ${all}`);
    await page.waitForFunction((n) => document.querySelectorAll('[role="option"]').length === n, tg.length);
    assert.deepEqual(await rows(), tg);
    const icons = await page.locator('[role="option"] [data-channel]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.channel))]);
    assert.deepEqual(icons, ['telegram']);
    await view(page, 'open');
  });

  test('a draft survives the app being killed', async () => {
    await openConv('Audit: where is my parcel');
    await page.click('[data-action="reply"]');
    await page.waitForSelector('[data-testid="composer"][data-ready="true"]');
    await page.fill('[data-testid="compose-body"]', 'Half-written when the power went.');
    await page.waitForTimeout(1500); // saved half a second after typing stops
    // The page goes first: its runtime would keep calling the dead server.
    await page.close();
    await server.kill('SIGKILL');
    server = await serveDev(BIN, DIST, env);
    page = await openApp(browser.context, server.url);
    await page.waitForSelector('[data-testid="conversation-list"]');
    await openConv('Audit: where is my parcel');
    await page.click('[data-action="reply"]');
    await page.waitForSelector('[data-testid="draft-restored"]');
    assert.equal(await page.inputValue('[data-testid="compose-body"]'), 'Half-written when the power went.');
    await page.click('[data-testid="compose-discard"]');
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});

async function waitUntil(cond, what, ms = 30000) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
