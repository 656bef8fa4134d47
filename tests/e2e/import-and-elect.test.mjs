// Issue 11's real data path, end to end: an operator imports CMS's determinations with the
// server binary (`mips-elections import eligibility`), and a practice representative sees the
// imported practice and elects for it. The test runs its own server on its own SQLite database
// (the import replaces the year's determinations, which the other tests' demo data needs).
// E2E_BIN (target/debug/mips-elections) must be built; it serves dist/ like the main server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { launch, openPage, expectNoAxeViolations, expectPage, screenshot, signIn } from './support.mjs';

const BIN = process.env.E2E_BIN ?? 'target/debug/mips-elections';
const dir = mkdtempSync(path.join(tmpdir(), 'mips-import-e2e-'));
const DATABASE_URL = `sqlite:${path.join(dir, 'import.db')}`;
let browser, server, base;

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

before(async () => {
  browser = await launch();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--demo'], { env: { ...process.env, PORT: String(port), DATABASE_URL, RUST_LOG: 'warn' }, stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    try { if ((await fetch(`${base}/api/health`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the import test server did not start');
});
after(async () => { server?.kill(); await browser?.close(); });

test('an imported CMS determination is what the practice sees, and it can elect on it', async () => {
  const year = (await (await fetch(`${base}/api/performance-years`)).json()).defaultYear;
  // One clinician of the demo user's practice TIN 107000133, in CMS's v6 shape, now with the
  // group opt-in eligible (in the demo data it is not) and under another name.
  const record = {
    npi: '1107000139', firstName: 'Lucie', lastName: 'Nováková', newlyEnrolled: false, qpStatus: 'N',
    organizations: [{
      TIN: '107000133', prvdrOrgName: 'Green Mountain Pediatrics', addressLineOne: '5 Orchard Lane', city: 'Burlington', state: 'VT', zip: '054014410',
      individualScenario: { isEligible: { individual: false }, isOptInEligible: false, mipsEligibleSwitch: true },
      groupScenario: { isEligible: { group: false }, isOptInEligible: true, lowVolumeBeneficiaries: 210, lowVolumeAllowedCharges: 64000.0, lowVolumeServices: 260 },
    }],
  };
  const file = path.join(dir, 'py-eligibility.ndjson');
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  const { stdout } = await promisify(execFile)(BIN, ['import', 'eligibility', '--year', String(year), file], { env: { ...process.env, DATABASE_URL } });
  assert.match(stdout, new RegExp(`imported py-eligibility.ndjson as ${year} data run \\d+: 1 clinicians, 1 practices, 1 opt-in eligible`));

  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'demo-practice', 'demo-password-1', base);
  await expectPage(page, 'Welcome back Tessa H!');
  await page.goto(`${base}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  // The data run notice names the imported file's run; the card is CMS's determination.
  await page.getByRole('region', { name: 'Election period and eligibility data' }).getByText('py-eligibility.ndjson', { exact: false }).waitFor();
  const card = page.getByRole('article', { name: 'Green Mountain Pediatrics' });
  await card.getByText('Opt-in eligible', { exact: true }).waitFor();
  await expectNoAxeViolations(page, 'eligibility after an import');
  await screenshot(page, 'imported-practice');
  await card.getByRole('link', { name: 'REPORT AS GROUP for Green Mountain Pediatrics' }).click();
  await expectPage(page, 'Group Reporting Options');
  await page.getByRole('button', { name: 'Opt-In' }).click();
  const dialog = page.getByRole('dialog', { name: 'Are You Sure?' });
  await dialog.getByLabel('Please Type "CONFIRM"').fill('CONFIRM');
  await dialog.getByRole('button', { name: "I'm Sure, Confirm Opt In" }).click();
  await expectPage(page, 'Your Election Is Confirmed');
  await screenshot(page, 'imported-practice-confirmed');
  // The Eligibility API answers from the same imported data, with the election.
  const api = await page.evaluate(async (y) => (await fetch(`/api/eligibility/npi/1107000139?year=${y}`)).json(), year);
  const org = api.data.organizations.find((o) => o.TIN.endsWith('0133') || o.TIN === '107000133');
  assert.equal(org.groupScenario.isOptInEligible, true);
  assert.equal(org.groupScenario.isOptedIn, true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a clinician CMS excluded from MIPS is never sent to an election, on the card and the public lookup', async () => {
  const year = (await (await fetch(`${base}/api/performance-years`)).json()).defaultYear;
  // CMS flags the clinician opt-in eligible as an individual, but it is a QP: the exclusion wins.
  const org = (individual) => ({
    TIN: '107000133', prvdrOrgName: 'Green Mountain Pediatrics', addressLineOne: '5 Orchard Lane', city: 'Burlington', state: 'VT', zip: '054014410',
    individualScenario: { isEligible: { individual: false }, isOptInEligible: individual, mipsEligibleSwitch: true },
    groupScenario: { isEligible: { group: false }, isOptInEligible: true },
  });
  const lines = [
    { npi: '1107000139', firstName: 'Lucie', lastName: 'Nováková', newlyEnrolled: false, qpStatus: 'N', organizations: [org(false)] },
    { npi: '1107000147', firstName: 'Quentin', lastName: 'Parker', newlyEnrolled: false, qpStatus: 'Y', organizations: [org(true)] },
  ];
  const file = path.join(dir, 'py-eligibility-qp.ndjson');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await promisify(execFile)(BIN, ['import', 'eligibility', '--year', String(year), file], { env: { ...process.env, DATABASE_URL } });

  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'demo-practice', 'demo-password-1', base);
  await expectPage(page, 'Welcome back Tessa H!');
  await page.goto(`${base}/practices/107000133/clinicians?year=${year}`);
  const row = page.getByRole('article', { name: 'Quentin Parker' });
  await row.getByText('Qualifying APM Participant (QP), who is excluded from MIPS', { exact: false }).first().waitFor();
  await row.getByText('Clinicians excluded from MIPS may report voluntarily without an election.', { exact: false }).waitFor();
  assert.equal(await row.getByRole('link', { name: /View Individual Options/ }).count(), 0, 'no way to an election page');
  await expectNoAxeViolations(page, 'clinicians with an excluded clinician');
  await screenshot(page, 'excluded-clinician');
  // The public lookup says the same in the Participation Status Tool's words.
  await page.goto(`${base}/participation-status?npi=1107000147&year=${year}`);
  await page.getByText('MIPS Eligibility: Excluded from MIPS (Qualifying APM Participant)').waitFor();
  await page.getByText('Opt-in Option: Not opt-in eligible (excluded from MIPS; may report voluntarily)').first().waitFor();
  await expectNoAxeViolations(page, 'participation status of an excluded clinician');
  await screenshot(page, 'excluded-clinician-lookup');
  assert.deepEqual(problems, []);
  await context.close();
});
