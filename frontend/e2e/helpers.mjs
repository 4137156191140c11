// Shared set-up for the browser end-to-end tests: Debian's Chromium driven
// by playwright-core, a fresh profile per run, against the dev-tagged Tidings
// binary whose dev server serves the UI and the live Go bindings.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** The repository's root, the dev-tagged binary and the built UI. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = process.env.TIDINGS_BIN || process.env.TIDINGS_DEV_BIN || join(ROOT, 'build/bin/tidings-dev');
export const DIST = join(ROOT, 'frontend/dist');

/** run runs a command to its end and returns its output; it throws with
 * the command's error output on failure. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

/** suiteDir makes a temporary folder for one suite with a home of its own
 * (saved files land there) and the environment to run Tidings in it (no
 * session bus: secrets go to the data folder's private file). */
export function suiteDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `tidings-e2e-${name}-`));
  const home = join(dir, 'home');
  mkdirSync(home);
  return { dir, env: { ...process.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: 'disabled:' }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** hasDovecot says whether Dovecot is installed; under CI=true its
 * absence fails the suite instead. */
export function hasDovecot() {
  const ok = spawnSync('sh', ['-c', 'command -v dovecot && command -v doveadm']).status === 0;
  if (!ok && process.env.CI === 'true') throw new Error('e2e: dovecot is missing (apt-get install dovecot-imapd)');
  return ok;
}

/** startMailServer builds and starts scripts/mailtestd in dir: a real
 * Dovecot and the Go tests' SMTP server on loopback, for one user (more
 * are mailtestd's own flags, such as -oauth-client ID). It returns their
 * addresses ({imap, smtp}, and oauth with -oauth-client), Dovecot's config
 * file (for doveadm) and stop(). */
export async function startMailServer(dir, user, pass, more = []) {
  const bin = join(dir, 'mailtestd');
  run('go', ['build', '-o', bin, './scripts/mailtestd'], { cwd: ROOT });
  const mail = spawn(bin, ['-dir', join(dir, 'mail'), '-user', user, '-pass', pass, ...more], { stdio: ['pipe', 'pipe', 'inherit'] });
  const addrs = JSON.parse(
    await new Promise((resolve, reject) => {
      createInterface({ input: mail.stdout }).once('line', resolve);
      mail.once('exit', (code) => reject(new Error(`mailtestd exited: ${code}`)));
    }),
  );
  return {
    ...addrs,
    doveconf: join(dir, 'mail', 'dovecot', 'dovecot.conf'),
    async stop() {
      if (mail.exitCode === null) {
        mail.stdin.end();
        await new Promise((r) => mail.once('exit', r));
      }
    },
  };
}

/** launch starts Chromium with a fresh --user-data-dir. */
export async function launch(extraArgs = []) {
  const profile = mkdtempSync(join(tmpdir(), 'tidings-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  return {
    context,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** openApp loads the app and waits until the bindings answered. */
export async function openApp(context, url) {
  const page = await context.newPage();
  // Generous: the suites run in parallel on shared, sometimes loaded cores.
  page.setDefaultTimeout(30000);
  await page.goto(url);
  return page;
}

/** listCount is how many conversations the list holds (not just draws). */
export async function listCount(page) {
  return Number(await page.getAttribute('[data-testid="conversation-list"]', 'data-count'));
}

/** sidebarCount reads a status view's total from the sidebar. */
export async function sidebarCount(page, status) {
  return Number(await page.textContent(`[data-count="${status}"]`));
}

/** row is the list row of the conversation with this subject. */
export function row(page, subject) {
  return page.locator('[data-testid="conversation-list"] [role="option"]', { hasText: subject });
}

/** view clicks a sidebar status view and waits for its list. */
export async function view(page, status) {
  await page.click(`[data-view="${status}"]`);
  await page.waitForSelector(`[data-view="${status}"][aria-current="page"]`);
  await page.waitForSelector(`[data-testid="conversation-list"][data-loaded-view="status:${status}"]`);
}

export function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`e2e: ${name} is not set; run scripts/e2e-browser.sh`);
  return v;
}

/** serveDev starts a dev-tagged binary (bin) serving dist on a free port
 * with env, waits until it answers, and returns its URL, a stop function,
 * kill(signal) (a SIGKILL test) and its output so far (log()). */
export async function serveDev(bin, dist, env) {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  let out = '';
  const proc = spawn(bin, ['-devserver', `127.0.0.1:${port}`, '-assetdir', dist], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}/`;
  const exited = new Promise((r) => proc.once('exit', r));
  const kill = async (signal = 'SIGTERM') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  const stop = () => kill();
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`the dev binary exited: ${out.slice(-2000)}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150) {
      await stop();
      throw new Error('the dev server did not answer within 30 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop, kill, log: () => out };
}

/** startApp serves a suite's data folder (suiteDir's dir/data) with the
 * dev binary and opens it in a fresh Chromium. */
export async function startApp(suite, data = join(suite.dir, 'data')) {
  const server = await serveDev(BIN, DIST, { ...suite.env, TIDINGS_DATA: data });
  const browser = await launch();
  const page = await openApp(browser.context, server.url);
  return { server, browser, page };
}

/** openDialog opens an archive dialog (export, import, backup, restore)
 * from the sidebar's Data section. */
export async function openDialog(page, kind) {
  await page.click(`[data-archive="${kind}"]`);
  await page.waitForSelector(`[data-testid="${kind}-dialog"]`);
}

/** closeDialog closes an archive dialog with Escape. */
export async function closeDialog(page, kind) {
  await page.keyboard.press('Escape');
  await page.waitForSelector(`[data-testid="${kind}-dialog"]`, { state: 'detached' });
}

/** goBuild builds a Go package of the repository into dir and returns the
 * binary's path. */
export function goBuild(pkg, dir) {
  const out = join(dir, pkg.split('/').pop());
  run('go', ['build', '-o', out, pkg], { cwd: ROOT });
  return out;
}
