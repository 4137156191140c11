// OAuth2 sign-in from the window's account form (issue 3: the loopback flow
// with PKCE and the user's own client ID), in real Chromium against the
// dev-tagged binary on an empty data directory and a loopback mail service
// (scripts/mailtestd -oauth-client: a real Dovecot and the go-smtp server,
// both trusting the fake authorization server of the Go tests). Chromium
// plays the system browser: it follows the sign-in link the form shows. A
// client ID the provider does not know leaves its error page and the form
// waiting; "Cancel sign-in" says so and saves nothing; with the right ID the
// provider comes back to the loopback listener, the account is saved and
// syncs with its token. Run by scripts/e2e-browser.sh (TIDINGS_DEV_BIN).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, DIST, hasDovecot, launch, openApp, serveDev, startMailServer, suiteDir } from './helpers.mjs';

const USER = 'owner@shop.example';
const CLIENT = 'tidings-e2e-desktop-client';
const dovecot = hasDovecot();

describe('OAuth2 sign-in in the account form', { skip: !dovecot && 'dovecot is missing (apt-get install dovecot-imapd)' }, () => {
  let suite;
  let dir;
  let mail;
  let addrs;
  let server;
  let browser;
  let page;

  before(async () => {
    suite = suiteDir('oauth');
    dir = suite.dir;
    // BROWSER=true: the binary's "system browser" (xdg-open) does nothing;
    // the test follows the link itself.
    const env = { ...suite.env, BROWSER: 'true' };
    mail = await startMailServer(dir, USER, 'unused-password', ['-oauth-client', CLIENT]);
    addrs = mail;
    assert.ok(addrs.oauth, 'mailtestd runs the authorization server');
    server = await serveDev(BIN, DIST, { ...env, TIDINGS_DATA: join(dir, 'data') });
    browser = await launch();
    page = await openApp(browser.context, server.url);
    await page.waitForSelector('[data-testid="welcome"]');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await mail?.stop();
    suite?.remove();
    if (process.env.E2E_LOG) console.log(server?.log());
  });

  /** signInLink presses the sign-in button and returns the page it offers. */
  async function signInLink() {
    await page.click('[data-testid="account-connect"]');
    await page.waitForSelector('[data-testid="account-oauth-waiting"]');
    const link = await page.waitForSelector('[data-testid="account-oauth-link"]');
    return link.getAttribute('href');
  }

  test('an unknown client ID, cancelled, then the right one', async () => {
    await page.click('[data-testid="connect-email"]');
    await page.waitForSelector('[data-testid="account-form"]');
    await page.fill('[data-testid="account-address"]', USER);
    await page.fill('[data-testid="account-name"]', 'Owner mail');
    await page.click('[data-testid="account-method-custom"]');
    assert.equal(await page.locator('[data-testid="account-password"]').count(), 0, 'no password with OAuth2');
    await page.fill('[data-testid="account-client-id"]', 'not-registered');
    await page.fill('[data-testid="account-auth-url"]', `${addrs.oauth}/authorize`);
    await page.fill('[data-testid="account-token-url"]', `${addrs.oauth}/token`);
    await page.fill('[data-testid="account-scopes"]', 'mail offline_access');
    await page.evaluate(() => (document.querySelector('[data-testid="account-form"] details').open = true));
    const [ih, ip] = addrs.imap.split(':');
    const [sh, sp] = addrs.smtp.split(':');
    await page.fill('[data-testid="account-imap-host"]', ih);
    await page.fill('[data-testid="account-imap-port"]', ip);
    await page.fill('[data-testid="account-smtp-host"]', sh);
    await page.fill('[data-testid="account-smtp-port"]', sp);
    await page.selectOption('[data-testid="account-security"]', 'none');
    assert.match(await page.textContent('[data-testid="account-connect"]'), /Sign in with Other/);

    // The provider does not know the client: its page says so, nothing
    // comes back, the form waits until the user cancels.
    let href = await signInLink();
    const u = new URL(href);
    assert.equal(u.searchParams.get('client_id'), 'not-registered');
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.match(u.searchParams.get('redirect_uri'), /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(u.searchParams.get('login_hint'), USER);
    const provider = await browser.context.newPage();
    const resp = await provider.goto(href);
    assert.equal(resp.status(), 400);
    await page.click('[data-testid="account-oauth-cancel"]');
    const err = await page.waitForSelector('[data-testid="account-error"]');
    assert.match(await err.textContent(), /sign-in cancelled; nothing was saved/);
    await page.waitForSelector('[data-testid="account-oauth-waiting"]', { state: 'detached' });

    // The right client: the provider redirects to the loopback listener.
    await page.fill('[data-testid="account-client-id"]', CLIENT);
    href = await signInLink();
    await provider.goto(href);
    await provider.waitForSelector('text=Signed in. You can close this tab and return to Tidings.');
    await provider.close();
    await page.waitForSelector('[data-testid="account-form"]', { state: 'detached', timeout: 60000 });
    assert.match(await page.textContent('[data-testid="notice"]'), /Owner mail is connected \(\d+ folders\)/);
    // It syncs with the token.
    await page.waitForSelector('[data-testid="account-health"][data-account="Owner mail"][data-state="idle"]', { timeout: 60000 });
  });

  test('raised no page errors', () => {
    assert.deepEqual(browser.errors, []);
  });
});
