// Settings → Accounts → Folders… (issue 3: "any other folder on request",
// from the window as well as `account add --folder`): the server's folders
// are listed with Inbox, Sent and Archive fixed; ticking another and saving
// brings its mail into the inbox; a folder gone from the server meanwhile
// is refused by name. Real Chromium, the dev-tagged binary and a loopback
// Dovecot (scripts/mailtestd). Run by scripts/e2e-browser.sh.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, hasDovecot, row, run, startApp, startMailServer, suiteDir } from './helpers.mjs';

const USER = 'owner@shop.example';
const PASS = 'e2e-folders-pw';
const dovecot = hasDovecot();

function message(id, subject) {
  return [
    'From: Wes Wholesale <wes@wholesale.example>',
    `To: ${USER}`,
    `Subject: ${subject}`,
    `Message-ID: <${id}@wholesale.example>`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    '',
    'Could we order forty helmets at the trade price?',
    '',
  ].join('\r\n');
}

describe('choosing folders for an email account', { skip: !dovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let suite;
  let mail;
  let app;
  let page;

  const doveadm = (args, input) => run('doveadm', ['-c', mail.doveconf, ...args], input === undefined ? {} : { input });

  before(async () => {
    suite = suiteDir('folders');
    mail = await startMailServer(suite.dir, USER, PASS);
    doveadm(['mailbox', 'create', '-u', USER, 'Wholesale']);
    doveadm(['mailbox', 'create', '-u', USER, 'Old']);
    doveadm(['save', '-u', USER, '-m', 'Wholesale'], message('trade1', 'Trade price for forty helmets'));
    run(BIN, ['--data', join(suite.dir, 'data'), 'account', 'add', 'email', '--name', 'Owner mail', '--address', USER,
      '--imap', mail.imap, '--smtp', mail.smtp, '--security', 'none', '--password-stdin'], { env: suite.env, input: PASS + '\n' });
    app = await startApp(suite);
    page = app.page;
    await page.waitForSelector('[data-testid="conversation-list"]');
  });

  after(async () => {
    await app?.browser.close();
    await app?.server.stop();
    await mail?.stop();
    suite?.remove();
  });

  async function openFolders() {
    if (!(await page.isVisible('[data-testid="settings"]'))) await page.click('[data-testid="open-settings"]');
    await page.click('[data-nav="accounts"]');
    await page.click('[data-settings-account="Owner mail"] [data-action="folders"]');
    await page.waitForSelector('[data-testid="account-folders"] [data-folder="Wholesale"]');
  }

  test('the server folders are listed, the three fixed ones ticked and locked', async () => {
    await openFolders();
    const got = await page.evaluate(() => {
      const f = document.querySelector('[data-testid="account-folders"]');
      return {
        locked: [...f.querySelectorAll('input:disabled')].map((i) => i.checked && i.closest('label').textContent),
        wholesale: f.querySelector('[data-folder="Wholesale"]').checked,
      };
    });
    assert.ok(got.locked.some((t) => t && t.startsWith('INBOX')), `locked: ${got.locked}`);
    assert.equal(got.wholesale, false);
    assert.equal(await row(page, 'Trade price for forty helmets').count(), 0, 'an unchosen folder was synced');
  });

  test('a folder removed on the server meanwhile is refused by name, and nothing is saved', async () => {
    await page.check('[data-folder="Old"]');
    doveadm(['mailbox', 'delete', '-u', USER, 'Old']);
    await page.click('[data-action="save-folders"]');
    const err = await page.waitForSelector('[data-testid="account-folders"] [role="alert"]');
    assert.match(await err.textContent(), /"Old"/);
    const cfg = JSON.parse(run(BIN, ['--data', join(suite.dir, 'data'), 'account', 'list', '--json'], { env: suite.env }))[0].settings;
    assert.equal(cfg.folders, undefined, 'a refused choice was saved');
    await page.click('[data-testid="account-folders"] button[type="button"]');
  });

  test('ticking a folder and saving brings its mail in', async () => {
    await openFolders();
    await page.check('[data-folder="Wholesale"]');
    await page.click('[data-action="save-folders"]');
    await page.waitForSelector('[data-testid="accounts-info"]');
    assert.match(await page.textContent('[data-testid="accounts-info"]'), /1 extra folder/);
    await page.keyboard.press('Escape');
    await row(page, 'Trade price for forty helmets').waitFor({ timeout: 30000 });
    const cfg = JSON.parse(run(BIN, ['--data', join(suite.dir, 'data'), 'account', 'list', '--json'], { env: suite.env }))[0].settings;
    assert.deepEqual(cfg.folders, ['Wholesale']);
  });
});
