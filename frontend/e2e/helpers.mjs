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
  page.setDefaultTimeout(15000);
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
