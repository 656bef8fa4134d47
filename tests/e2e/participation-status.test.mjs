// Issue 11 §4's public Participation Status page, reached from the front door: an NPI shows, per
// practice (TIN masked), the clinician's and the practice's status in the guide's words; bad NPIs
// get the API's own errors next to the field. axe runs on every state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, expectNoAxeViolations, expectPage, screenshot } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A 9-digit base completed with its NPI check digit (Luhn with the 80840 prefix). */
function npiOf(base9) {
  for (let d = 0; d <= 9; d++) {
    const digits = `80840${base9}${d}`.split('').map(Number).reverse();
    const sum = digits.reduce((s, v, i) => s + (i % 2 === 1 ? (v * 2 > 9 ? v * 2 - 9 : v * 2) : v), 0);
    if (sum % 10 === 0) return `${base9}${d}`;
  }
  throw new Error('no check digit');
}

test('the front door leads to Participation Status, which reads an NPI as the guide shows it', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${BASE}/sign-in`);
  await expectPage(page, 'Sign in to QPP');
  const tools = page.getByRole('navigation', { name: 'Public tools' });
  assert.ok(await tools.getByRole('link', { name: 'Validate a file' }).isVisible());
  await tools.getByRole('link', { name: 'Participation Status' }).click();
  await expectPage(page, 'Participation Status');
  await expectNoAxeViolations(page, 'participation status: empty');

  // A malformed NPI: the domain's words, at the field, and the summary takes focus.
  await page.getByLabel('NPI').fill('12345');
  await page.getByRole('button', { name: 'Look up' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /has 5 digits; an NPI has exactly 10/);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  await expectNoAxeViolations(page, 'participation status: bad NPI');

  // A well-formed NPI nobody has: the API's own 404 message.
  await page.getByLabel('NPI').fill('1234567893');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.getByText('No individual clinician information exists for this NPI').first().waitFor();

  // Tereza Pazderová (guide practice; opt-in eligible as an individual and as a group).
  const npi = npiOf('110300001');
  await page.getByLabel('NPI').fill(npi);
  await page.getByRole('button', { name: 'Look up' }).click();
  const result = page.getByRole('region', { name: `Tereza Pazderová — NPI ${npi}` });
  await result.waitFor();
  assert.equal(await page.getByRole('alert').filter({ hasText: 'There is a problem' }).count(), 0, 'the problem is gone');
  const org = result.getByRole('article').filter({ hasText: 'Pazderová, Dudek and Zelený' });
  const text = await org.innerText();
  assert.match(text, /TIN: XXXXXXXXXX/, 'TINs are masked on the public page');
  assert.match(text, /As an individual\s*MIPS Eligibility: INDIVIDUAL\s*Opt-in Option: Opt-in eligible as individual\s*Election: (No decision yet|Opted in|Report Voluntarily)/, "another test may have elected for her");
  assert.match(text, /as a group\s*MIPS Eligibility: GROUP\s*Opt-in Option: Opt-in eligible as group/);
  assert.match(text, /as a group[\s\S]*Special statuses: .*Small practice/, 'the TIN-level status is the group\'s');
  assert.match(text, /As an individual[\s\S]*Special statuses: .*Rural/);
  assert.ok(await result.getByText('QP status: Not a Qualifying APM Participant (QP).').isVisible(), 'QP status from the imported data');
  assert.ok(page.url().includes(`npi=${npi}`), 'the address names the lookup');
  await expectNoAxeViolations(page, 'participation status: result');
  await screenshot(page, 'result');
  // The address is the lookup: a reload shows it again.
  await page.reload();
  await page.getByRole('region', { name: `Tereza Pazderová — NPI ${npi}` }).waitFor();
  assert.deepEqual(problems.filter((p) => !p.includes('404')), []);
  await context.close();
});
