// Issue 3's flows: individual elections from Practice Details, the APM reporting pathway, the
// tabs, and the CSV download — by role and accessible name, with axe on every new state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE, launch, openPage, expectNoAxeViolations, expectPage, screenshot, signIn } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signedIn(viewport) {
  const ctx = await openPage(browser, viewport);
  await signIn(ctx.page);
  await expectPage(ctx.page, 'Welcome back Tessa H!');
  return ctx;
}

test('an individual clinician opts in from Practice Details', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  await page.getByRole('link', { name: 'REPORT AS INDIVIDUALS for Pazderová, Dudek and Zelený' }).click();
  await expectPage(page, 'Practice Details');
  await page.getByRole('heading', { name: 'Connected Clinicians' }).waitFor();
  await page.getByText('If both the practice and the clinician opt in, the clinician gets the higher of the two final scores', { exact: false }).waitFor();
  const row = page.getByRole('article', { name: 'Tereza Pazderová' });
  await row.getByRole('img', { name: /Low-volume threshold: 1 of 3 criteria exceeded/ }).waitFor();
  await expectNoAxeViolations(page, 'practice details');
  await screenshot(page, 'practice-details');
  await row.getByRole('link', { name: 'View Individual Options for Tereza Pazderová' }).click();
  await expectPage(page, 'Individual Reporting Options');
  await page.getByRole('heading', { name: 'Tereza Pazderová', level: 2 }).waitFor();
  await expectNoAxeViolations(page, 'individual reporting options');
  await screenshot(page, 'individual-options');
  await page.getByRole('button', { name: 'Opt-In' }).click();
  const dialog = page.getByRole('dialog', { name: 'Are You Sure?' });
  await dialog.getByText('By opting-in, Tereza Pazderová will become MIPS eligible').waitFor();
  await expectNoAxeViolations(page, 'individual confirm dialog');
  await dialog.getByLabel('Please Type "CONFIRM"').fill('Confirm');
  await dialog.getByRole('button', { name: "I'm Sure, Confirm Opt In" }).click();
  await expectPage(page, 'Your Election Is Confirmed');
  await page.getByRole('heading', { name: 'Tereza Pazderová elected to Opt-In' }).waitFor();
  await page.getByRole('link', { name: 'Start Reporting' }).click();
  await expectPage(page, 'Reporting Overview');
  await page.getByText('NPI: ', { exact: false }).first().waitFor();
  await expectNoAxeViolations(page, 'individual overview');
  // Back on Practice Details the clinician shows the new status; the group is unchanged.
  await page.goto(`${BASE}/practices/103000013/clinicians`);
  await expectPage(page, 'Practice Details');
  await page.getByRole('article', { name: 'Tereza Pazderová' }).getByText('MIPS ELIGIBLE VIA OPT-IN', { exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'View Individual Options for Tereza Pazderová' }).count(), 0);
  await page.getByRole('region', { name: 'Pazderová, Dudek and Zelený' }).getByText('Opt-in eligible', { exact: true }).waitFor();
  // 320 px: Practice Details reflows.
  await page.setViewportSize({ width: 320, height: 800 });
  await page.reload();
  await expectPage(page, 'Practice Details');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scroll at 320 px (overflow ${overflow}px)`);
  await screenshot(page, 'practice-details-320');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an APM participant group opts in and chooses the APP', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  await page.getByRole('link', { name: 'REPORT AS GROUP for Kowalczyk Family Medicine' }).click();
  await expectPage(page, 'Group Reporting Options');
  await page.getByText('This entity participates in a MIPS APM.', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Opt-In' }).click();
  const dialog = page.getByRole('dialog', { name: 'Are You Sure?' });
  await dialog.getByLabel('Please Type "CONFIRM"').fill('CONFIRM');
  await dialog.getByRole('button', { name: "I'm Sure, Confirm Opt In" }).click();
  await expectPage(page, 'Your Election Is Confirmed');
  await page.getByText('Next, choose how to report').waitFor();
  await page.getByRole('link', { name: 'Start Reporting' }).click();
  await expectPage(page, 'Reporting Options');
  const group = page.getByRole('group', { name: 'How will Kowalczyk Family Medicine report for' });
  await group.getByRole('radio', { name: 'Traditional MIPS', exact: true }).waitFor();
  // Saving without a choice names the problem.
  await page.getByRole('button', { name: 'Save Reporting Option' }).click();
  await page.getByRole('link', { name: 'Choose how you will report.' }).waitFor();
  await expectNoAxeViolations(page, 'reporting options with error');
  await group.getByRole('radio', { name: 'APM Performance Pathway (APP)' }).check();
  await expectNoAxeViolations(page, 'reporting options');
  await screenshot(page, 'reporting-options');
  await page.getByRole('button', { name: 'Save Reporting Option' }).click();
  await expectPage(page, 'Reporting Overview');
  await page.getByText('Reports through APM Performance Pathway (APP)', { exact: false }).waitFor();
  await screenshot(page, 'overview-app');
  // Unlike the election, the choice may be changed until the submission window closes
  // ("traditional MIPS and/or the APP").
  await page.getByRole('link', { name: 'Change the reporting option' }).click();
  await expectPage(page, 'Reporting Options');
  await page.getByText('Kowalczyk Family Medicine reports through APM Performance Pathway (APP) (chosen on', { exact: false }).waitFor();
  assert.equal(await group.getByRole('radio', { name: 'APM Performance Pathway (APP)' }).isChecked(), true, 'the current choice is selected');
  await group.getByRole('radio', { name: 'Both traditional MIPS and the APP' }).check();
  await expectNoAxeViolations(page, 'reporting options, changing');
  await screenshot(page, 'reporting-options-change');
  await page.getByRole('button', { name: 'Change Reporting Option' }).click();
  await expectPage(page, 'Reporting Overview');
  await page.getByText('Reports through Both traditional MIPS and the APP', { exact: false }).waitFor();
  await page.goto(`${BASE}/eligibility`);
  await page.getByRole('article', { name: 'Kowalczyk Family Medicine' }).getByText('Reporting pathway: Both traditional MIPS and the APP.').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a voluntary reporter in a MIPS APM is never offered the APP', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${BASE}/practices/105000117/clinicians`);
  await expectPage(page, 'Practice Details');
  await page.getByRole('link', { name: 'View Individual Options for Agnieszka Kowalczyk' }).click();
  await expectPage(page, 'Individual Reporting Options');
  await page.getByRole('button', { name: 'Report Voluntarily' }).click();
  const dialog = page.getByRole('dialog', { name: 'Are You Sure?' });
  await dialog.getByLabel('Please Type "CONFIRM"').fill('confirm');
  await dialog.getByRole('button', { name: "I'm Sure, Report Voluntarily" }).click();
  await expectPage(page, 'Your Election Is Confirmed');
  assert.equal(await page.getByText('Next, choose how to report').count(), 0, 'no pathway prompt after a voluntary election');
  // A voluntary reporter is never sent to Reporting Options (the 2021 guide: "If you elected to
  // opt-in, you'll be brought to the Reporting Options page").
  await page.getByRole('link', { name: 'Start Reporting' }).click();
  await expectPage(page, 'Reporting Overview');
  assert.equal(await page.getByRole('link', { name: 'Choose a reporting option' }).count(), 0, 'no reporting option to choose');
  await page.getByText("You can't voluntarily report the APM Performance Pathway (APP)", { exact: false }).waitFor();
  await expectNoAxeViolations(page, 'reporting overview for a voluntary reporter');
  await screenshot(page, 'overview-voluntary');
  await page.goto(page.url().replace('/overview', '/reporting-options'));
  await expectPage(page, 'Reporting Options');
  await page.getByText("You can't voluntarily report the APM Performance Pathway (APP)", { exact: false }).waitFor();
  assert.equal(await page.getByRole('radio').count(), 0, 'neither pathway is offered');
  await screenshot(page, 'reporting-options-voluntary');
  // The API refuses it too.
  const r = await page.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const year = Number(new URL(location.href).searchParams.get('year'));
    const res = await fetch('/api/pathways', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
      body: JSON.stringify({ performanceYear: year, tin: '105000117', npi: location.pathname.split('/')[4], pathway: 'APP' }) });
    return { status: res.status, body: await res.json() };
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.type, 'VoluntaryReportingViaAppNotPermitted');
  assert.deepEqual(problems, []);
  await context.close();
});

test('tabs show only what the user has, and each passes axe', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  const tabs = page.getByRole('navigation', { name: 'Eligibility & Reporting' });
  assert.deepEqual(await tabs.getByRole('link').allInnerTexts(), ['Virtual Groups', 'APM Entities', 'Practices']);
  await tabs.getByRole('link', { name: 'APM Entities' }).click();
  await page.getByRole('heading', { name: 'APM Entities', level: 2 }).waitFor();
  // Only the query changed, yet focus returns to the page's h1 as on any navigation.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  await page.getByText("APM Entities can't opt in to MIPS through QPP", { exact: false }).waitFor();
  assert.equal(await page.getByRole('button', { name: /Opt-In/ }).count(), 0);
  await expectNoAxeViolations(page, 'APM Entities tab');
  await screenshot(page, 'tab-apm');
  await tabs.getByRole('link', { name: 'Virtual Groups' }).click();
  await page.getByRole('heading', { name: 'Virtual Groups', level: 2 }).waitFor();
  await page.getByText('its virtual-group election already counts as one', { exact: false }).waitFor();
  await expectNoAxeViolations(page, 'Virtual Groups tab');
  await context.close();
  // A registry user sees the Registries tab and no APM Entities or Virtual Groups.
  const reg = await openPage(browser);
  await signIn(reg.page, 'demo-registry');
  await expectPage(reg.page, 'Welcome back Rafael Ortiz!');
  await reg.page.goto(`${BASE}/eligibility?tab=registries`);
  await expectPage(reg.page, 'Eligibility & Reporting');
  const rtabs = reg.page.getByRole('navigation', { name: 'Eligibility & Reporting' });
  assert.deepEqual(await rtabs.getByRole('link').allInnerTexts(), ['Registries', 'Practices']);
  await reg.page.getByRole('heading', { name: 'Demo Qualified Registry' }).waitFor();
  await expectNoAxeViolations(reg.page, 'Registries tab');
  assert.deepEqual([...problems, ...reg.problems], []);
  await reg.context.close();
});

test('the CSV download holds practices and clinicians, quoted and UTF-8', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download practices and clinicians as CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^mips-eligibility-\d{4}\.csv$/);
  const text = await readFile(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'UTF-8 byte-order mark for spreadsheets');
  const lines = text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'Performance year,TIN,NPI,Practice name,Clinician name,Status,Medicare patients,Medicare patients exceeded,Allowed charges (USD),Allowed charges exceeded,Covered services,Covered services exceeded,Special statuses,Election,Pathway,Elected at (UTC)');
  assert.equal(lines.length, 1 + 5 + 11, 'a row per practice and per clinician');
  const dittrich = lines.find((l) => l.includes(',104000093,,'));
  assert.match(dittrich, /,"Dittrich, Krajíček and Urbanová",,/);
  assert.match(dittrich, /,108,No,50862\.00,No,510,Yes,Small practice,/);
  assert.ok(lines.some((l) => l.includes(',Alžběta Krajíček,')), 'UTF-8 names survive');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an individual election works with the keyboard alone', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${BASE}/practices/106000125/clinicians`);
  await expectPage(page, 'Practice Details');
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim());
  const tabTo = async (text, key = 'Tab') => {
    for (let i = 0; i < 60; i++) {
      if ((await focused()) === text) return;
      await page.keyboard.press(key);
    }
    assert.fail(`${text} is not reachable with ${key}`);
  };
  await tabTo('View Individual Options for Samuel Park');
  await page.keyboard.press('Enter');
  await expectPage(page, 'Individual Reporting Options');
  await tabTo('Report Voluntarily');
  await tabTo('Opt-In', 'Shift+Tab');
  await tabTo('Report Voluntarily');
  await page.keyboard.press('Space');
  const dialog = page.getByRole('dialog', { name: 'Are You Sure?' });
  await dialog.waitFor();
  await page.keyboard.type('CONFIRM');
  await page.keyboard.press('Enter');
  await expectPage(page, 'Your Election Is Confirmed');
  await page.getByRole('heading', { name: 'Samuel Park elected to Report Voluntarily' }).waitFor();
  await tabTo('Start Reporting');
  await page.keyboard.press('Enter');
  await expectPage(page, 'Reporting Overview');
  assert.deepEqual(problems, []);
  await context.close();
});
