// Hostile HTML mail in real Chromium, in the real window (the dev binary's
// UI and live bindings) on a workspace seeded with the htmlsafe corpus
// (backend/htmlsafe/testdata/hostile, one conversation per file):
//   1. the frame alone holds: every RAW (unsanitized) mail is put in the
//      window's own frame (lib/frame.js) inside the app page, which has
//      window.go; no script runs, no request leaves, nothing reaches
//      window.parent.go. Control frames with allow-scripts prove the
//      detectors work and that even a running script cannot reach it.
//   2. the window: each conversation is opened through the UI, which shows
//      the Go-sanitized body in that frame; again nothing runs or leaves
//      until the user clicks "Load images", and then only images load.
// Run by scripts/e2e-browser.sh (HOSTILE_URL).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { FRAME_SANDBOX, frameCSP, frameDocument } from '../src/lib/frame.js';
import { launch, need, openApp } from './helpers.mjs';

const HOSTILE_URL = need('HOSTILE_URL');
const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '..', '..', 'backend', 'htmlsafe', 'testdata', 'hostile');
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.html'))
  .sort()
  .map((f) => ({ name: f.replace(/\.html$/, ''), html: readFileSync(join(corpusDir, f), 'utf8') }));
const appOrigin = new URL(HOSTILE_URL).origin;

describe('hostile HTML mail', () => {
  let browser;
  let page;
  let canary;
  // Requests that reached the canary server: they really left.
  const hits = [];
  // Responses from anywhere but the app (a request that left and came back).
  const responses = [];
  const dialogs = [];
  const popups = [];

  before(async () => {
    assert.ok(corpus.length >= 100, `corpus has ${corpus.length} mails, want at least 100`);
    // Every canary address in the corpus resolves to this server.
    canary = createServer((req, res) => {
      hits.push(req.url);
      res.writeHead(404).end();
    });
    await new Promise((r) => canary.listen(0, '127.0.0.1', r));
    const port = canary.address().port;
    browser = await launch([`--host-resolver-rules=MAP canary.tidings.test 127.0.0.1:${port}, MAP *.canary.tidings.test 127.0.0.1:${port}`]);
    browser.context.on('response', (r) => {
      const u = r.url();
      if (!u.startsWith(appOrigin) && !u.startsWith('data:') && !u.startsWith('about:')) responses.push(u);
    });
    page = await openApp(browser.context, HOSTILE_URL);
    browser.context.on('page', (p) => popups.push(p.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.waitForSelector('[data-testid="conversation-list"]');
    await page.evaluate(() => {
      window.__messages = [];
      window.addEventListener('message', (e) => window.__messages.push(String(e.data)));
    });
  });

  after(async () => {
    await browser?.close();
    canary?.close();
  });

  async function state() {
    return page.evaluate(async () => ({
      messages: window.__messages.slice(),
      goIntact: typeof window.go?.app?.Inbox?.Overview === 'function',
      accounts: (await window.go.app.Inbox.Overview()).accounts.length,
      href: location.href,
    }));
  }

  test('the frame alone holds raw hostile mail', async () => {
    const docs = corpus.map((c) => frameDocument(c.html));
    const controlScript = (body) => frameDocument(`<script>${body}</script>`).replace("script-src 'none'", "script-src 'unsafe-inline'");
    const result = await page.evaluate(
      async ({ docs, sandbox, csp, control, reach, fetchControl }) => {
        const host = document.createElement('div');
        host.style.cssText = 'position:fixed;left:0;top:0;width:400px;height:300px;overflow:auto;opacity:0.01';
        document.body.append(host);
        const loads = [];
        const add = (srcdoc, sb, cspAttr) => {
          const f = document.createElement('iframe');
          f.setAttribute('sandbox', sb);
          f.setAttribute('csp', cspAttr);
          f.setAttribute('referrerpolicy', 'no-referrer');
          loads.push(new Promise((r) => f.addEventListener('load', r, { once: true })));
          f.srcdoc = srcdoc;
          host.append(f);
        };
        for (const d of docs) add(d, sandbox, csp);
        // Controls: scripts allowed (but still not same-origin).
        add(control, 'allow-scripts', "default-src 'none'; script-src 'unsafe-inline'");
        add(reach, 'allow-scripts', "default-src 'none'; script-src 'unsafe-inline'");
        // Control: a frame whose policy allows images does reach the canary.
        add(fetchControl, '', "default-src 'none'; img-src http:");
        await Promise.all(loads);
        // Let load-time handlers (onload, onerror, autofocus) have their turn
        // in every frame: wait until the controls have spoken.
        const until = Date.now() + 10000;
        while (Date.now() < until && window.__messages.filter((m) => m.startsWith('control:')).length < 2) {
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 500));
        host.remove();
        return window.__messages.slice();
      },
      {
        docs,
        sandbox: FRAME_SANDBOX,
        csp: frameCSP(false),
        control: controlScript("setTimeout(() => parent.postMessage('control:ran', '*'), 200)"),
        fetchControl: frameDocument('<img src="http://canary.tidings.test/control.png">').replace('img-src data:', 'img-src http:'),
        reach: controlScript(
          "let r; try { r = typeof parent.go.app.Inbox.LoadDemo; } catch (e) { r = 'blocked:' + e.name; } parent.postMessage('control:parent.go ' + r, '*')",
        ),
      },
    );
    assert.ok(result.includes('control:ran'), `the control frame's script did not report: ${result}`);
    assert.ok(
      result.includes('control:parent.go blocked:SecurityError'),
      `a frame with scripts could reach parent.go: ${result}`,
    );
    const xss = result.filter((m) => !m.startsWith('control:'));
    assert.deepEqual(xss, [], 'scripts ran in the frame');
    assert.deepEqual(dialogs, [], 'a dialog opened');
    const until = Date.now() + 10000;
    while (Date.now() < until && !hits.includes('/control.png')) await new Promise((r) => setTimeout(r, 50));
    assert.ok(hits.includes('/control.png'), 'the control image never reached the canary server');
    assert.deepEqual(hits.filter((h) => h !== '/control.png'), [], 'requests reached the canary server');
    assert.deepEqual(responses.filter((u) => !u.endsWith('/control.png')), [], 'requests left the frame');
    hits.length = 0;
    responses.length = 0;
    const s = await state();
    assert.ok(s.goIntact, 'window.go was damaged');
    assert.equal(s.accounts, 0, 'something called LoadDemo through window.go');
    assert.equal(s.href, HOSTILE_URL);
  });

  test('the window shows every hostile mail sanitized and inert', async () => {
    const subjects = await page.evaluate(async () => {
      const list = await window.go.app.Inbox.Conversations({ status: 'open', limit: 1000 });
      return list.map((c) => c.subject);
    });
    assert.equal(subjects.length, corpus.length);
    // The first conversation opens with the view; j walks the rest.
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    for (let i = 0; i < subjects.length; i++) {
      if (i > 0) await page.keyboard.press('j');
      await page.waitForFunction(
        (want) =>
          document.querySelector('[data-testid="subject"]')?.textContent === want &&
          document.querySelector('[data-testid="html-frame"]')?.dataset.loaded === '1',
        subjects[i],
        { timeout: 15000 },
      );
      const frame = page.locator('[data-testid="html-frame"]');
      assert.equal(await frame.getAttribute('sandbox'), '', `${subjects[i]}: the frame has sandbox permissions`);
    }
    await page.waitForTimeout(500);
    const s = await state();
    assert.deepEqual(s.messages.filter((m) => !m.startsWith('control:')), [], 'scripts ran');
    assert.deepEqual(dialogs, [], 'a dialog opened');
    assert.deepEqual(hits, [], 'requests reached the canary server before the user allowed images');
    assert.deepEqual(responses, [], 'requests left before the user allowed images');
    assert.ok(s.goIntact, 'window.go was damaged');
    assert.equal(s.accounts, 0, 'something called LoadDemo through window.go');
    assert.equal(s.href, HOSTILE_URL, 'the window navigated away');
    assert.deepEqual(popups, [], 'a popup opened');
  });

  test('trackers are named and images wait for the user', async () => {
    const open = async (subject) => {
      const { id, index } = await page.evaluate(async (s) => {
        const list = await window.go.app.Inbox.Conversations({ status: 'open', limit: 1000 });
        const index = list.findIndex((c) => c.subject === s);
        return { id: list[index]?.id, index };
      }, subject);
      assert.ok(id, `no conversation ${subject}`);
      // Scroll the virtualized list to the row, then click it.
      await page.evaluate((i) => {
        const sc = document.querySelector('[data-testid="conversation-list"]');
        sc.scrollTop = Math.max(0, i * 72 - 100);
      }, index);
      await page.locator(`[role="option"][data-id="${id}"]`).click();
      await page.waitForFunction(
        (want) =>
          document.querySelector('[data-testid="subject"]')?.textContent === want &&
          document.querySelector('[data-testid="html-frame"]')?.dataset.loaded === '1',
        subject,
      );
    };
    const name = (suffix) => corpus.find((c) => c.name.endsWith(suffix)).name;

    await open(name('-tracker-mailchimp'));
    assert.match(await page.textContent('[data-testid="trackers"]'), /Mailchimp/);

    await open(name('-img-remote-canary'));
    assert.match(await page.textContent('[data-testid="images-blocked"]'), /1 remote image/);
    assert.deepEqual(hits, []);
    await page.click('[data-testid="load-images"]');
    const until = Date.now() + 10000;
    while (Date.now() < until && hits.length === 0) await page.waitForTimeout(100);
    assert.ok(
      hits.length > 0 && hits.every((u) => /^\/\d+-img-remote-canary\.png$/.test(u)),
      `after "Load images" only the image may load, got ${JSON.stringify(hits)}`,
    );
  });
});
