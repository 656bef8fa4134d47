// Issue 5: the registry's workflow in a real browser, as the 2021 guide's "QCDRs and Qualified
// Registries: Election Process" steps 1–6 describe it: Registries tab → Registry Submission
// Details → Upload File(s) → Upload Data (files checked in the browser; one with errors removed)
// → Election Selection for Eligible Participants → Are You Sure? (CONFIRM) → Participation
// Selections Confirmed → Upload Successful → View Submission. Also Cancel File Upload, a
// 10,000-row selection table used by keyboard, and the API token dialog. Elements are found by
// role and accessible name; axe runs on every dialog step and on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, launch, openPage, expectNoAxeViolations, expectPage, screenshot, signIn } from './support.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO = path.join(ROOT, 'public/demo-files');
const CLIENTS = path.join(DEMO, 'registry-clients-2026.json');
const QRDA = path.join(DEMO, 'lakeside-internal-medicine-2026.xml');
const WITH_ERRORS = path.join(DEMO, 'harbor-point-with-errors.json');
const ENTITIES = path.join(DEMO, 'registry-entities-2026.json');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openDetails(page) {
  await signIn(page, 'demo-registry');
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.goto(`${BASE}/eligibility?tab=registries`);
  await expectPage(page, 'Eligibility & Reporting');
  await page.getByRole('link', { name: 'Start Reporting for Demo Qualified Registry' }).click();
  await expectPage(page, 'Registry Submission Details');
  await page.getByRole('button', { name: 'Upload File(s)' }).waitFor();
}

const dialog = (page) => page.getByRole('dialog');
async function expectStep(page, name) {
  await dialog(page).getByRole('heading', { level: 2, name, exact: true }).waitFor();
  await page.waitForFunction((n) => document.activeElement?.id === 'upload-step-heading' && document.activeElement.textContent === n, name, { timeout: 5000 });
}

async function api(page, pathname, headers = {}) {
  return page.evaluate(async ([p, h]) => { const r = await fetch(p, { headers: h }); return { status: r.status, body: await r.json() }; }, [pathname, headers]);
}

// Upload File(s) → Upload Data with one clean file → Upload File → Election Selection.
async function uploadToSelection(page, file) {
  await page.getByRole('button', { name: 'Upload File(s)' }).click();
  await expectStep(page, 'Upload Data');
  await dialog(page).getByLabel('Your JSON or QRDA III file here, or browse.').setInputFiles([file]);
  await dialog(page).getByText('Ready to upload').waitFor();
  await dialog(page).getByRole('button', { name: 'Upload File', exact: true }).click();
  await expectStep(page, 'Election Selection for Eligible Participants');
}

test('Cancel File Upload cancels the whole upload: nothing is stored, no election made', async () => {
  const { context, page, problems } = await openPage(browser);
  await openDetails(page);
  await uploadToSelection(page, CLIENTS);
  await dialog(page).getByRole('radiogroup', { name: /TIN 201000019\s*Harbor Point Family Practice/ }).getByRole('radio', { name: 'Opt-In' }).check();
  await dialog(page).getByRole('button', { name: 'Cancel File Upload' }).click();
  await dialog(page).waitFor({ state: 'hidden' });
  const details = await api(page, '/api/registries/QR-0067/submissions?year=2026');
  assert.equal(details.status, 200);
  assert.equal(details.body.participants.length, 0, 'no data stored, including MIPS eligible participants');
  const optIn = await api(page, '/api/registries/QR-0067/opt-in?year=2026', { 'qpp-opt-in-entities': '201000019' });
  assert.equal(optIn.body.data[0].isOptedIn, null, 'no election was made');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the whole registry flow with two files and one with errors', async () => {
  const { context, page, problems } = await openPage(browser);
  await openDetails(page);
  await expectNoAxeViolations(page, 'Registry Submission Details (empty)');
  await screenshot(page, 'details-empty');
  assert.ok(await page.getByText('All changes are saved automatically.').isVisible());

  await page.getByRole('button', { name: 'Upload File(s)' }).click();
  await expectStep(page, 'Upload Data');
  assert.ok(await dialog(page).getByRole('heading', { name: 'Accepted files to upload' }).isVisible());
  assert.ok(await dialog(page).getByText('Full QRDA III validation and conversion to QPP JSON are not done yet').isVisible());
  await expectNoAxeViolations(page, 'Upload Data (empty)');
  await dialog(page).getByLabel('Your JSON or QRDA III file here, or browse.').setInputFiles([CLIENTS, WITH_ERRORS]);
  // The QRDA III file arrives by drag and drop.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'lakeside-internal-medicine-2026.xml', { type: 'text/xml' }));
    document.querySelector('dialog[open] .file-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, readFileSync(QRDA, 'utf8'));
  await dialog(page).getByRole('heading', { name: 'File(s) to upload (3)' }).waitFor();
  await dialog(page).getByText('Has errors: will not be uploaded').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.upload-file__state').length === 3 && ![...document.querySelectorAll('.upload-file__state')].some((e) => e.textContent.startsWith('Checking')));
  assert.ok(await dialog(page).getByText(/QRDA III · TIN 206000069 · Quality \(3 measures\)/).isVisible());
  await expectNoAxeViolations(page, 'Upload Data (checked, one with errors)');
  await screenshot(page, 'upload-data-checked');

  // A file with errors blocks the upload until it is removed.
  await dialog(page).getByRole('button', { name: 'Upload File', exact: true }).click();
  await dialog(page).getByRole('alert').getByText('harbor-point-with-errors.json can\'t be uploaded').waitFor();
  await dialog(page).getByRole('button', { name: 'Remove harbor-point-with-errors.json' }).click();
  await dialog(page).getByRole('heading', { name: 'File(s) to upload (2)' }).waitFor();
  await dialog(page).getByRole('button', { name: 'Upload File', exact: true }).click();

  await expectStep(page, 'Election Selection for Eligible Participants');
  const table = dialog(page).getByRole('table');
  await table.getByText('Participants 1–5 of 5 needing an election').waitFor();
  const choose = (who, choice) => dialog(page).getByRole('radiogroup', { name: who }).getByRole('radio', { name: choice }).check();
  await choose(/TIN 201000019\s*Harbor Point Family Practice/, 'Opt-In');
  await choose(/1201000019\s*Maya Chen/, 'Report Voluntarily');
  await choose(/1202000034\s*Ana Souza/, 'Opt-In');
  await choose(/TIN 206000069\s*Lakeside Internal Medicine/, 'Opt-In');
  // Omar Haddad stays at No Decision: not uploaded, stays exempt.
  const counts = dialog(page).locator('.participant-elections');
  assert.match(await counts.innerText(), /No Decision 1[\s\S]*Report Voluntarily 1[\s\S]*Opt-In 3/);
  await dialog(page).getByText('Participants that need no election (5)').click();
  assert.ok(await dialog(page).getByText(/TIN 203000035.*Already elected to Opt-In/).isVisible());
  // Exempt and not opt-in eligible: CMS lets it report voluntarily, without an election.
  assert.ok(await dialog(page).getByText(/TIN 204000043.*Voluntary reporting, no election needed/).isVisible());
  // A registry submits for any TIN: Northgate was never its client, and is MIPS eligible.
  assert.ok(await dialog(page).getByText(/TIN 205000051.*MIPS eligible/).isVisible());
  await expectNoAxeViolations(page, 'Election Selection');
  await screenshot(page, 'election-selection');

  await dialog(page).getByRole('button', { name: 'Submit Selections' }).click();
  await expectStep(page, 'Are You Sure?');
  assert.match(await dialog(page).locator('.confirm-counts').innerText(), /Report Voluntarily\s*1[\s\S]*Opt-Ins\s*3/);
  await dialog(page).getByRole('button', { name: "I'm Sure, Confirm Elections" }).click();
  await dialog(page).getByText('Enter CONFIRM', { exact: false }).or(dialog(page).locator('#confirm-elections-word-error')).first().waitFor();
  await expectNoAxeViolations(page, 'Are You Sure? (error)');
  await dialog(page).getByLabel('Please Type "CONFIRM"').fill('confirm');
  await screenshot(page, 'are-you-sure');
  await dialog(page).getByRole('button', { name: "I'm Sure, Confirm Elections" }).click();

  await expectStep(page, 'Participation Selections Confirmed');
  assert.ok(await dialog(page).getByText('Your selected participants have been successfully opted-in to report for the 2026 performance year').isVisible());
  await expectNoAxeViolations(page, 'Participation Selections Confirmed');
  await dialog(page).getByRole('button', { name: 'Continue Reporting' }).click();
  await expectStep(page, 'Upload Successful');
  await dialog(page).getByRole('heading', { name: 'File(s) uploaded (2)' }).waitFor();
  assert.ok(await dialog(page).getByText(/registry-clients-2026\.json — QPP JSON, 8 participants/).isVisible());
  assert.ok(await dialog(page).getByText(/lakeside-internal-medicine-2026\.xml — QRDA III, 1 participant/).isVisible());
  await expectNoAxeViolations(page, 'Upload Successful');
  await screenshot(page, 'upload-successful');
  await dialog(page).getByRole('button', { name: 'View Submission' }).click();
  await dialog(page).waitFor({ state: 'hidden' });

  // Registry Submission Details lists what was stored, per participant.
  await page.getByRole('heading', { name: 'Submissions for 2026 (9)' }).waitFor();
  const rows = page.getByRole('table').getByRole('row');
  assert.equal(await rows.count(), 10, 'header + 9 participants');
  assert.ok(await page.getByRole('row', { name: /TIN 204000043.*Voluntary reporting, no election needed/ }).isVisible());
  assert.ok(await page.getByRole('rowheader', { name: /TIN 206000069\s*Lakeside Internal Medicine/ }).isVisible());
  assert.ok(await page.getByText(/Quality · electronicHealthRecord · mips — 3 measures — lakeside-internal-medicine-2026\.xml \(QRDA III\)/).isVisible());
  assert.equal(await page.getByRole('rowheader', { name: /1201000027/ }).count(), 0, 'No Decision: Omar Haddad not stored');
  await expectNoAxeViolations(page, 'Registry Submission Details (with submissions)');
  await screenshot(page, 'details-with-submissions');
  // Print renders every participant (not one page) before the browser's print runs.
  await page.evaluate(() => { window.print = () => { window.__printedRows = document.querySelectorAll('.submissions-table tbody tr').length; window.__printedCaption = document.querySelector('.submissions-table caption').textContent; }; });
  await page.getByRole('button', { name: 'Print' }).click();
  await page.waitForFunction(() => window.__printedRows !== undefined);
  assert.deepEqual(await page.evaluate(() => [window.__printedRows, window.__printedCaption]), [9, 'Participants 9 (all)']);
  await page.getByText('Participants 9 (page 1 of 1)').waitFor();
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'details-print');
  await page.emulateMedia({ media: 'screen' });

  // ACCESS API TOKEN: the Security Official creates a token, shown once.
  await page.getByRole('button', { name: 'ACCESS API TOKEN' }).click();
  const tokenDialog = page.getByRole('dialog', { name: 'API token' });
  await tokenDialog.getByText('The registry has no API token.').waitFor();
  await expectNoAxeViolations(page, 'API token dialog');
  await tokenDialog.getByRole('button', { name: 'Create API token' }).click();
  const token = await tokenDialog.getByLabel(/Your new API token/).inputValue();
  assert.match(token, /^mipsreg_[0-9a-f]{64}$/);
  await expectNoAxeViolations(page, 'API token dialog (token shown)');
  await screenshot(page, 'api-token');
  const viaToken = await api(page, '/api/registries/QR-0067/submissions?year=2026', { authorization: `Bearer ${token}` });
  assert.equal(viaToken.body.participants.length, 9);
  await tokenDialog.getByRole('button', { name: 'Close' }).click();
  assert.deepEqual(problems, []);
  await context.close();
});

test('APM Entity, virtual group and subgroup data is uploaded without an election', async () => {
  const { context, page, problems } = await openPage(browser);
  await openDetails(page);
  await uploadToSelection(page, ENTITIES);
  await dialog(page).getByText('No participant in these files needs an election.').waitFor();
  assert.equal(await dialog(page).getByRole('radiogroup').count(), 0, 'nothing to choose');
  await dialog(page).getByText('Participants that need no election (3)').click();
  assert.ok(await dialog(page).getByText(/APM Entity A5678.*no election is made for an APM Entity through QPP/).isVisible());
  assert.ok(await dialog(page).getByText(/Virtual group VG-000214 Lake Superior Rural Clinicians Virtual Group.*the virtual group election/).isVisible());
  assert.ok(await dialog(page).getByText(/Subgroup SG-0042.*subgroups report MVPs only/).isVisible());
  assert.ok(await dialog(page).getByText(/Virtual group VG-009999.*No virtual group with this ID is in the performance year 2026 eligibility data/).isVisible());
  await expectNoAxeViolations(page, 'Election Selection (entities only)');
  await screenshot(page, 'entities-selection');
  await dialog(page).getByRole('button', { name: 'Submit Selections' }).click();
  await expectStep(page, 'Upload Successful');
  assert.ok(await dialog(page).getByText(/registry-entities-2026\.json — QPP JSON, 3 participants, 3 measurement sets stored/).isVisible());
  await dialog(page).getByRole('button', { name: 'View Submission' }).click();
  await dialog(page).waitFor({ state: 'hidden' });
  const entities = page.getByRole('table', { name: 'APM Entities, virtual groups and subgroups 3 (all)' });
  await entities.waitFor();
  assert.ok(await entities.getByRole('rowheader', { name: /Virtual group VG-000214\s*Lake Superior Rural Clinicians Virtual Group/ }).isVisible());
  assert.ok(await entities.getByText(/Improvement Activities · registry · G0053 — 1 measure/).isVisible());
  assert.equal(await entities.getByRole('rowheader', { name: /VG-009999/ }).count(), 0, 'the unknown virtual group was not stored');
  await expectNoAxeViolations(page, 'Registry Submission Details (entities)');
  await screenshot(page, 'details-entities');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a 10,000-row selection table is filtered, bulk-set and paged by keyboard', async () => {
  // ./scripts/test builds the example (cargo test --all-targets); a release build is used if present.
  const generator = ['release', 'debug'].map((p) => path.join(ROOT, `target/${p}/examples/gen_qpp`)).find(existsSync);
  assert.ok(generator, 'build it with: cargo build --example gen_qpp');
  const dir = mkdtempSync(path.join(tmpdir(), 'mips-network-'));
  const file = path.join(dir, 'network-10000.json');
  writeFileSync(file, execFileSync(generator, ['--network', '10000', '2026'], { maxBuffer: 200 * 1024 * 1024 }));
  const { context, page, problems } = await openPage(browser);
  try {
    await openDetails(page);
    await page.getByRole('button', { name: 'Upload File(s)' }).click();
    await expectStep(page, 'Upload Data');
    await dialog(page).getByLabel('Your JSON or QRDA III file here, or browse.').setInputFiles([file]);
    await dialog(page).getByText('Ready to upload').waitFor({ timeout: 60000 });
    await dialog(page).getByRole('button', { name: 'Upload File', exact: true }).click();
    await expectStep(page, 'Election Selection for Eligible Participants');
    const caption = dialog(page).locator('caption');
    await caption.getByText('Participants 1–50 of 10,000 needing an election (page 1 of 200)').waitFor({ timeout: 30000 });
    assert.equal(await dialog(page).getByRole('radiogroup').count(), 50, 'one page of rows is rendered');
    await expectNoAxeViolations(page, 'Election Selection (10,000 rows)');

    // Keyboard only: filter, choose the bulk value, apply.
    await dialog(page).getByLabel('Filter by TIN, NPI or name').focus();
    await page.keyboard.type('17000001');
    await caption.getByText('Participants 1–10 of 10 needing an election (page 1 of 1)').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'bulk-choice');
    await page.keyboard.press('ArrowUp'); // Opt-In → Report Voluntarily
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Apply to shown participants');
    await page.keyboard.press('Enter');
    const counts = dialog(page).locator('.participant-elections');
    await counts.getByText('Report Voluntarily 10', { exact: true }).waitFor();
    assert.match(await counts.innerText(), /No Decision 9,990[\s\S]*Report Voluntarily 10[\s\S]*Opt-In 0/);
    await screenshot(page, 'network-filtered-bulk-set');
    // One row by keyboard: arrow keys move within its radio group.
    const first = dialog(page).getByRole('radiogroup').first().getByRole('radio', { name: 'Report Voluntarily' });
    await first.focus();
    await page.keyboard.press('ArrowRight');
    assert.match(await counts.innerText(), /Report Voluntarily 9[\s\S]*Opt-In 1/);

    // Clear the filter; page through by keyboard.
    await dialog(page).getByLabel('Filter by TIN, NPI or name').fill('');
    await caption.getByText('Participants 1–50 of 10,000 needing an election (page 1 of 200)').waitFor();
    const next = dialog(page).getByRole('button', { name: 'Next page' });
    await next.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Next page');
    await page.keyboard.press('Enter');
    await caption.getByText('Participants 51–100 of 10,000 needing an election (page 2 of 200)').waitFor();
    await dialog(page).getByRole('button', { name: 'Cancel File Upload' }).click();
    await dialog(page).waitFor({ state: 'hidden' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
