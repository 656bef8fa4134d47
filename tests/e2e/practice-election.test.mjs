// Issue 2's end-to-end flow, as a practice representative does it: sign in, find a practice,
// elect Opt-In for the group with "confirm" typed in lower case, see the new status, reload,
// and check the API refuses a second election. axe runs on every page and dialog state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, expectNoAxeViolations, expectPage, screenshot, signIn } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a practice representative elects Opt-In for a group, end to end', async () => {
  const { context, page, problems } = await openPage(browser);

  // Signed out, a deep link leads to Sign in.
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Sign in to QPP');
  assert.match(page.url(), /\/sign-in\?next=%2Feligibility/);
  await expectNoAxeViolations(page, 'sign in');
  await screenshot(page, 'sign-in');

  // Submitting empty shows the error summary, focused, linking to each field.
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true, 'error summary takes focus');
  for (const msg of ['Enter your User ID.', 'Enter your password.', 'Agree to the Statement of Truth to sign in.']) {
    assert.equal(await summary.getByRole('link', { name: msg }).count(), 1, msg);
  }
  await summary.getByRole('link', { name: 'Enter your User ID.' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'user-id', 'summary link moves focus to the field');
  await expectNoAxeViolations(page, 'sign in with errors');
  await screenshot(page, 'sign-in-errors');

  // Wrong password: the server's refusal is shown the same way.
  await page.getByLabel('User ID').fill('demo-practice');
  await page.getByLabel('Password', { exact: true }).fill('wrong-password');
  await page.getByRole('checkbox', { name: 'Yes, I agree' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'The User ID or password you entered is incorrect.' }).waitFor();

  // Show password reveals what was typed.
  await page.getByRole('checkbox', { name: 'Show password' }).check();
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('type'), 'text');

  await page.getByLabel('Password', { exact: true }).fill('demo-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectPage(page, 'Eligibility & Reporting'); // back to the deep link
  await page.getByRole('link', { name: 'Account Home' }).click();
  await expectPage(page, 'Welcome back Tessa H!');
  await page.getByRole('heading', { name: /Submission Reporting Window is Now Open/ }).waitFor();
  await expectNoAxeViolations(page, 'account home');
  await screenshot(page, 'account-home');

  await page.getByRole('link', { name: 'Start Reporting' }).click();
  await expectPage(page, 'Eligibility & Reporting');
  await page.getByText('5 Practices').waitFor();
  await expectNoAxeViolations(page, 'eligibility & reporting');
  await screenshot(page, 'eligibility');

  // Find the practice by search; diacritics need not be typed.
  await page.getByRole('searchbox', { name: 'Search by practice name' }).fill('krajicek');
  await page.getByText('1 of 5 Practices match "krajicek"').waitFor();
  const card = page.getByRole('article', { name: 'Dittrich, Krajíček and Urbanová' });
  await card.getByText('MIPS EXEMPT', { exact: true }).waitFor();
  await card.getByText('Opt-in eligible', { exact: true }).waitFor();
  await screenshot(page, 'eligibility-search');
  await card.getByRole('link', { name: 'REPORT AS GROUP for Dittrich, Krajíček and Urbanová' }).click();

  await expectPage(page, 'Group Reporting Options');
  await page.getByRole('heading', { name: 'Elect to Opt-In' }).waitFor();
  await page.getByRole('heading', { name: 'Choose to Report Voluntarily' }).waitFor();
  await page.getByRole('link', { name: 'Cancel and Go Back' }).waitFor();
  await expectNoAxeViolations(page, 'group reporting options');
  await screenshot(page, 'group-options');

  // The dialog: modal, named, focus inside, a wrong word gets an inline error.
  await page.getByRole('button', { name: 'Opt-In' }).click();
  const dialog = page.getByRole('dialog', { name: 'Are You Sure?' });
  await dialog.waitFor();
  await dialog.getByText('By opting-in, Dittrich, Krajíček and Urbanová will become MIPS eligible').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-word', 'focus starts in the CONFIRM box');
  await expectNoAxeViolations(page, 'confirm dialog');
  await screenshot(page, 'dialog');

  await dialog.getByLabel('Please Type "CONFIRM"').fill('confirmed');
  await dialog.getByRole('button', { name: "I'm Sure, Confirm Opt In" }).click();
  await dialog.getByText('You typed "confirmed". Type CONFIRM (not case sensitive) to make your election final.').waitFor();
  assert.equal(await dialog.getByLabel('Please Type "CONFIRM"').getAttribute('aria-invalid'), 'true');
  await expectNoAxeViolations(page, 'confirm dialog with error');
  await screenshot(page, 'dialog-error');

  // Cancel and Go Back closes it without electing; reopening starts clean.
  await dialog.getByRole('button', { name: 'Cancel and Go Back' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Opt-In' }).click();
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Please Type "CONFIRM"').inputValue(), '');

  await dialog.getByLabel('Please Type "CONFIRM"').fill('confirm');
  await dialog.getByRole('button', { name: "I'm Sure, Confirm Opt In" }).click();
  await expectPage(page, 'Your Election Is Confirmed');
  await page.getByRole('heading', { name: 'Dittrich, Krajíček and Urbanová elected to Opt-In' }).waitFor();
  await expectNoAxeViolations(page, 'election confirmed');
  await screenshot(page, 'confirmed');

  await page.getByRole('link', { name: 'Start Reporting' }).click();
  await expectPage(page, 'Reporting Overview');
  const overview = page.getByRole('main');
  await overview.getByText('Opt-In', { exact: true }).waitFor();
  await overview.getByText('Tessa H', { exact: true }).waitFor();
  await overview.getByText('QPP website').waitFor();
  await expectNoAxeViolations(page, 'reporting overview');
  await screenshot(page, 'overview');

  // Back on Eligibility & Reporting the card shows the new status and no way to elect again.
  await page.getByRole('link', { name: 'Eligibility & Reporting' }).first().click();
  await expectPage(page, 'Eligibility & Reporting');
  const elected = page.getByRole('article', { name: 'Dittrich, Krajíček and Urbanová' });
  await elected.getByText('MIPS ELIGIBLE VIA OPT-IN', { exact: true }).waitFor();
  assert.equal(await elected.getByRole('link', { name: /REPORT AS GROUP/ }).count(), 0);
  await page.reload();
  await expectPage(page, 'Eligibility & Reporting');
  await page.getByRole('article', { name: 'Dittrich, Krajíček and Urbanová' }).getByText('MIPS ELIGIBLE VIA OPT-IN', { exact: true }).waitFor();
  await screenshot(page, 'eligibility-after');

  // The API itself refuses a second, different election.
  const second = await page.evaluate(async () => {
    const s = await (await fetch('/api/session')).json();
    const year = Number(new URL(document.querySelector('a[href*="/overview?year="]').href).searchParams.get('year'));
    const r = await fetch('/api/elections', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
      body: JSON.stringify({ performanceYear: year, tin: '104000093', election: 'VOLUNTARY', confirmation: 'CONFIRM' }),
    });
    return { status: r.status, body: await r.json() };
  });
  assert.equal(second.status, 409);
  assert.equal(second.body.error.type, 'ElectionAlreadyMade');

  assert.deepEqual(problems, [], 'no console errors');
  await context.close();
});

test('pages a signed-out visitor can reach pass axe and have one focused h1', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${BASE}/register`);
  await expectPage(page, 'Register for QPP');
  await page.getByRole('link', { name: 'Register with HARP (opens harp.cms.gov)' }).waitFor();
  await expectNoAxeViolations(page, 'register');
  await screenshot(page, 'register');
  await page.goto(`${BASE}/no-such-page`);
  await expectPage(page, 'Page not found');
  await expectNoAxeViolations(page, 'not found');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an election outside the window is refused with the dates, and the year selector works', async () => {
  const { context, page, problems } = await openPage(browser);
  await signIn(page);
  await expectPage(page, 'Welcome back Tessa H!');
  // Account Home shows the key dates of the selected year.
  await page.getByRole('combobox', { name: 'Performance Year' }).selectOption('2024');
  await page.getByRole('button', { name: 'View year' }).click();
  await page.getByRole('heading', { name: 'Performance Year (PY) 2024 Submission Reporting Window Has Closed' }).waitFor();
  await page.getByText('March 31, 2025 at 8:00 p.m. ET', { exact: true }).waitFor();
  await page.getByText('April 14, 2025 at 8:00 p.m. ET', { exact: true }).waitFor();
  await expectNoAxeViolations(page, 'account home, 2024');
  await screenshot(page, 'account-home-2024');
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  await page.getByRole('combobox', { name: 'Performance Year' }).selectOption('2021');
  await page.getByRole('button', { name: 'View year' }).click();
  await page.getByText('The 2021 election period closed on March 31, 2022 at 8:00 p.m. ET.', { exact: false }).waitFor();
  await page.getByText('2 Practices').waitFor();
  await page.getByRole('article', { name: 'Pazderová, Dudek and Zelený' }).getByRole('link', { name: /REPORT AS GROUP/ }).click();
  await expectPage(page, 'Group Reporting Options');
  await page.getByText("An election can't be made now").waitFor();
  await page.getByText('closed on March 31, 2022 at 8:00 p.m. ET').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Opt-In' }).count(), 0, 'no way to elect outside the window');
  await expectNoAxeViolations(page, 'group options, window closed');
  await screenshot(page, 'group-options-closed');
  // 320 px wide: the card reflows without horizontal scrolling.
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${BASE}/eligibility`);
  await expectPage(page, 'Eligibility & Reporting');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scroll at 320 px (overflow ${overflow}px)`);
  await screenshot(page, 'eligibility-320');
  assert.deepEqual(problems, []);
  await context.close();
});


test('after sign-in, next= never leaves the site', async () => {
  for (const evil of ['/%5Cevil.example', '/%09/evil.example', '//evil.example', 'https://evil.example/']) {
    const { context, page } = await openPage(browser);
    await page.goto(`${BASE}/sign-in?next=${evil}`);
    await expectPage(page, 'Sign in to QPP');
    await page.getByLabel('User ID').fill('demo-registry');
    await page.getByLabel('Password', { exact: true }).fill('demo-password-1');
    await page.getByRole('checkbox', { name: 'Yes, I agree' }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectPage(page, 'Welcome back Rafael Ortiz!');
    assert.equal(new URL(page.url()).origin, new URL(BASE).origin, `${evil} stays on the site`);
    await context.close();
  }
});

test('a one-time sign-in link is announced, and one that does not work is refused in words', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(`${BASE}/sign-in?link=${'0'.repeat(64)}`);
  await expectPage(page, 'Sign in to QPP');
  const notice = page.getByRole('status').filter({ hasText: 'one-time sign-in link' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /works once, for the User ID it was made for, within 24 hours/);
  await page.getByLabel('User ID').fill('demo-registry');
  await page.getByLabel('Password', { exact: true }).fill('demo-password-1');
  await page.getByRole('checkbox', { name: 'Yes, I agree' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /This one-time sign-in link can't be used: it has been used already/);
  await expectNoAxeViolations(page, 'sign-in with a link that does not work');
  await screenshot(page, 'sign-in-link-refused');
  await context.close();
});
