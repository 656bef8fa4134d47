// Scripted browser run of the registry workflow at 10,000 participants (issue 5), against a
// running app with demo data (./scripts/run): check the generated file in the browser, look the
// participants up, set all 10,000 to Opt-In, confirm, upload. Prints one timing per step.
//   cargo build --release --example gen_qpp && node bench/registry.mjs [http://127.0.0.1:8080]
// The upload stores elections: run it against a fresh demo database.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BASE = process.argv[2] ?? 'http://127.0.0.1:8080';
const dir = mkdtempSync(path.join(tmpdir(), 'mips-bench-'));
const file = path.join(dir, 'network-10000.json');
writeFileSync(file, execFileSync('target/release/examples/gen_qpp', ['--network', '10000', '2026'], { maxBuffer: 200 * 1024 * 1024 }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
const page = await context.newPage();
const time = async (label, f) => { const t = performance.now(); await f(); const ms = performance.now() - t; console.log(`${label}: ${ms.toFixed(0)} ms`); return ms; };
try {
  await page.goto(`${BASE}/sign-in`);
  await page.getByLabel('User ID').fill('demo-registry');
  await page.getByLabel('Password', { exact: true }).fill('demo-password-1');
  await page.getByRole('checkbox', { name: 'Yes, I agree' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.goto(`${BASE}/registries/QR-0067?year=2026`);
  await page.getByRole('button', { name: 'Upload File(s)' }).click();
  const d = page.getByRole('dialog');
  await time('read + check 55.5 MB / 10,000 participants in the worker', async () => {
    await d.getByLabel('Your JSON or QRDA III file here, or browse.').setInputFiles([file]);
    await d.getByText('Ready to upload').waitFor({ timeout: 120000 });
  });
  await time('Upload File → 10,000 participants looked up and the table shown', async () => {
    await d.getByRole('button', { name: 'Upload File', exact: true }).click();
    await d.getByText('Participants 1–50 of 10,000 needing an election (page 1 of 200)').waitFor({ timeout: 120000 });
  });
  await time('set all 10,000 to Opt-In', async () => {
    await d.getByRole('button', { name: 'Apply to shown participants' }).click();
    await d.locator('.participant-elections').getByText('Opt-In 10,000', { exact: true }).waitFor();
  });
  await time('next page (rows 51–100)', async () => {
    await d.getByRole('button', { name: 'Next page' }).click();
    await d.getByText('Participants 51–100 of 10,000').waitFor();
  });
  await d.getByRole('button', { name: 'Submit Selections' }).click();
  await d.getByLabel('Please Type "CONFIRM"').fill('CONFIRM');
  await time('confirm → 55.5 MB uploaded, re-validated, 10,000 elections + 30,000 sets stored', async () => {
    await d.getByRole('button', { name: "I'm Sure, Confirm Elections" }).click();
    await d.getByRole('heading', { name: 'Participation Selections Confirmed' }).waitFor({ timeout: 300000 });
  });
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
