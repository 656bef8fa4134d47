// Shared helpers for the browser tests: a real headless Chromium (Debian's), axe-core checks,
// console-error capture and screenshots into tests/e2e/artifacts/ (git-ignored).
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080';
export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/** A fresh context and page that records console errors and uncaught exceptions. */
export async function openPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    // The browser logs every 4xx answer as "Failed to load resource"; the tests provoke some on
    // purpose (a wrong password, a second election) and assert those answers themselves. Any
    // other console error — a wasm panic, a failed asset, a 5xx — fails the test.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) problems.push(`asset ${r.status()}: ${r.url()}`);
  });
  return { context, page, problems };
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core on the page as it is now; fails with a readable list of violations. */
export async function expectNoAxeViolations(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    // Evaluated through the DevTools protocol: the app's Content-Security-Policy (rightly) refuses
    // an injected inline <script>.
    await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  }
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, AXE_TAGS);
  assert.deepEqual(result, [], `axe violations on ${label}:\n${JSON.stringify(result, null, 2)}`);
}

let shot = 0;
// node --test runs each file as its own main module: prefix shots with the file's name.
const PREFIX = path.basename(process.argv[1] ?? 'e2e').replace(/\.test\.mjs$/, '');
export async function screenshot(page, name) {
  shot += 1;
  const file = path.join(ARTIFACTS, `${PREFIX}-${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page's one h1 has the expected name, holds focus, and names the document. */
export async function expectPage(page, heading) {
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  assert.equal(await page.locator('h1').count(), 1, 'exactly one h1');
  await page.waitForFunction((t) => document.activeElement?.tagName === 'H1' && document.title === `${t} | Quality Payment Program`, heading, { timeout: 5000 });
}

export async function signIn(page, userId = 'demo-practice', password = 'demo-password-1', base = BASE) {
  await page.goto(`${base}/sign-in`);
  await expectPage(page, 'Sign in to QPP');
  await page.getByLabel('User ID').fill(userId);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('checkbox', { name: 'Yes, I agree' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}
