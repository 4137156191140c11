// Shared set-up for the browser end-to-end tests: Debian's Chromium driven
// by playwright-core, a fresh profile per run, against the dev-tagged Tidings
// binary whose dev server serves the UI and the live Go bindings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

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
 * with env, waits until it answers, and returns its URL, a stop function
 * and its output so far (log()). */
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
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill();
      await new Promise((r) => proc.once('exit', r));
    }
  };
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
  return { url, stop, log: () => out };
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
 * binary's path; it throws with the compiler's output on failure. */
export async function goBuild(pkg, dir) {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const out = join(dir, pkg.split('/').pop());
  const r = spawnSync('go', ['build', '-o', out, pkg], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`go build ${pkg}: ${r.stderr}${r.error ?? ''}`);
  return out;
}
