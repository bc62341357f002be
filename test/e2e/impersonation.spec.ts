import { callApi, DEMO_PASSWORD, expect, openWithDemo, shot, signInAs, test, type DeputyConsole } from './fixtures';
import { AuditLogPage, ImpersonationPage, SessionsPage } from './pages/impersonation-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import type { Page } from '@playwright/test';
import type { AuditPage } from '../../src/shared/model';

const JANE = 'Jane Doe (jdoe)';
const START_JANE = 'Impersonation start: Jane Doe (jdoe) by: Alice Admin (alice)';
const END_JANE = 'Impersonation end: Jane Doe (jdoe) by: Alice Admin (alice)';
/** What alice (super_admin) sees and jdoe (no account role) does not: R-S9 is checked against these. */
const ADMIN_ONLY_TABS = ['Directory', 'Impersonation security', 'Audit log', 'Access check'];
/** The tabs every signed-in person has: their flows' items, My Items, their sessions, settings. */
const EVERYONE_TABS = ['Flows', 'My Items', 'Sessions', 'Settings'] as const;

/** jdoe may not change settings: while impersonating jdoe the call is refused, and the refusal recorded (R-L3). */
async function refusedSettingsUpdate(page: Page, deputy: DeputyConsole): Promise<void> {
  const result = await callApi(page, deputy, 'settings.update', { idleLockMinutes: 30 });
  expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
}

test.describe('Impersonation sessions', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
  });

  test('R-S3, R-S4: the dialog needs two characters and lists only people who may be impersonated', async ({
    page,
  }) => {
    await signInAs(page, 'ian');
    const dialog = await new ImpersonationPage(page).openDialog();
    await expect(dialog.explain).not.toBeChecked();

    await dialog.query.fill('J');
    await expect(dialog.tooShort).toBeVisible();
    await expect(dialog.matches).toHaveCount(0);
    await expect(dialog.noMatches).toHaveCount(0);

    await dialog.search('Ja');
    await expect(dialog.candidate(JANE)).toBeEnabled();
    await expect(dialog.tooShort).toHaveCount(0);

    // Back to one character: the matches go again.
    await dialog.query.fill('J');
    await expect(dialog.tooShort).toBeVisible();
    await expect(dialog.matches).toHaveCount(0);

    // An empty display name: found by username, shown as the username alone.
    await dialog.search('kch');
    await expect(dialog.candidate('kchen')).toBeEnabled();

    // search() waits for main's answer to be on screen, so these absences are real.
    const excluded = [
      { query: 'Lo', label: 'Lou Locked (lou)', why: 'lou is locked' },
      { query: 'Oli', label: 'Olive Former (olive)', why: 'olive is inactive' },
      { query: 'Gary', label: 'Gary Guest (gary.guest)', why: 'guest user' },
      { query: 'System', label: 'System (system)', why: 'system user' },
      { query: 'Purchase', label: 'Purchase Order Bot (po-bot)', why: 'service account' },
      { query: 'Ian', label: 'Ian Helpdesk (ian)', why: 'nobody impersonates themself' },
    ];
    for (const { query, label } of excluded) {
      const found = await dialog.search(query);
      expect(found.map((c) => c.username)).not.toContain(label.replace(/^.*\((.*)\)$/, '$1'));
      await expect(dialog.candidate(label)).toHaveCount(0);
    }

    // With the explanations, each of them is there — found by the search — but cannot be picked.
    await dialog.showExcluded(true);
    for (const { query, label, why } of excluded) {
      await dialog.search(query);
      await expect(dialog.candidate(label)).toBeDisabled();
      await expect(dialog.entry(label)).toContainText(why);
      await expect(dialog.entry(label)).toContainText('(R-S4)');
    }
    await dialog.search('Lo');
    await expect(dialog.entry('Lou Locked (lou)')).toContainText('locked');
    await expect(dialog.choosePerson).toBeDisabled();

    // kchen is still offered, and pickable, with the explanations on.
    await dialog.search('kch');
    await expect(dialog.candidate('kchen')).toBeEnabled();
    await dialog.candidate('kchen').click();
    await expect(dialog.submit).toHaveText('Impersonate kchen');
  });

  test('R-S1: Impersonate… is offered as main decides, and follows a change of roles', async ({
    page,
    console: deputy,
  }) => {
    const impersonation = new ImpersonationPage(page);
    await expect(impersonation.impersonateMenu).toBeVisible();
    // alice gives jdoe the impersonator role and takes ian's away: the window learns of it only from main.
    for (const [username, roles] of [
      ['jdoe', ['impersonator']],
      ['ian', []],
    ] as const) {
      expect(await callApi(page, deputy, 'directory.setRoles', { username, roles })).toMatchObject({ ok: true });
    }
    const offered = { ursula: false, ian: false, jdoe: true, ivan: true };
    for (const [username, shown] of Object.entries(offered)) {
      await signInAs(page, username);
      await expect(impersonation.impersonateMenu, username).toHaveCount(shown ? 1 : 0);
      if (shown) continue;
      // Main refuses whom the window does not offer it to.
      expect(
        await callApi(page, deputy, 'impersonation.start', { username: 'pmehta', reason: 'REQ-42' }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-S1' } });
    }
  });

  test('R-S2: an impersonator who is not an administrator cannot pick an administrator', async ({
    page,
    console: deputy,
  }) => {
    await signInAs(page, 'ian');
    const dialog = await new ImpersonationPage(page).openDialog();
    const found = await dialog.search('Ursula');
    expect(found).toEqual([]);
    await expect(dialog.noMatches).toBeVisible();

    await dialog.showExcluded(true);
    const ursula = 'Ursula User-Admin (ursula)';
    await expect(dialog.candidate(ursula)).toBeDisabled();
    await expect(dialog.entry(ursula)).toContainText('administrator');
    await expect(dialog.entry(ursula)).toContainText('(R-S2)');

    // Main refuses it too, whatever the window offers.
    const result = await callApi(page, deputy, 'impersonation.start', { username: 'ursula', reason: 'REQ-42' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', rule: 'R-S2' },
    });
  });

  test('R-S6, R-S7, R-S8, R-S9, R-S5: impersonate Jane Doe, act, Back to me, and the records', async ({
    page,
    console: deputy,
  }, testInfo) => {
    const shell = new ShellPage(page);
    const impersonation = new ImpersonationPage(page);
    await expect(shell.tab('Audit log')).toBeVisible();
    const aliceTabs = await shell.tablist.getByRole('tab').allTextContents();
    expect(aliceTabs).toEqual(expect.arrayContaining([...ADMIN_ONLY_TABS, ...EVERYONE_TABS]));

    const dialog = await impersonation.openDialog();
    await dialog.search('Ja');
    await dialog.candidate(JANE).click();
    await dialog.reason.fill('REQ-42');
    await expect(dialog.submit).toHaveText(`Impersonate ${JANE}`);
    await shot(page, testInfo, 'impersonate-dialog');
    await dialog.submit.click();

    await expect(dialog.root).toHaveCount(0);
    await expect(impersonation.banner).toContainText(`You are impersonating ${JANE} — 60 min left`);
    // The header names both people: who is signed in, and as whom they act.
    await expect(shell.operator).toHaveText(`Alice Admin (alice) as ${JANE}`);

    // R-S9: jdoe holds no account role, so only the tabs everyone has remain — each under the banner — and the
    // window moves from alice's Directory to jdoe's own items.
    await expect(shell.tablist.getByRole('tab')).toHaveText([...EVERYONE_TABS]);
    await expect(shell.tab('My Items')).toHaveAttribute('aria-selected', 'true');
    for (const name of EVERYONE_TABS) {
      await shell.open(name);
      await expect(shell.tab(name)).toHaveAttribute('aria-selected', 'true');
      await expect(impersonation.banner).toContainText(`You are impersonating ${JANE}`);
    }
    // R-S5: no session inside another — not offered, and refused by main.
    await expect(impersonation.impersonateMenu).toHaveCount(0);
    await expect(impersonation.backToMeMenu).toBeVisible();
    await shot(page, testInfo, 'impersonation-banner');

    const chained = await callApi(page, deputy, 'impersonation.start', { username: 'pmehta', reason: 'chain' });
    expect(chained).toMatchObject({
      ok: false,
      error: { code: 'forbidden', rule: 'R-S5' },
    });
    // R-S9: what alice may do but jdoe may not is refused too.
    const audit = await callApi(page, deputy, 'audit.list', {});
    expect(audit).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await refusedSettingsUpdate(page, deputy);

    await impersonation.bannerBackToMe.click();
    await expect(impersonation.banner).toHaveCount(0);
    await expect(shell.operator).toHaveText('Alice Admin (alice)');
    await expect(shell.tablist.getByRole('tab')).toHaveText(aliceTabs);
    await expect(impersonation.impersonateMenu).toBeVisible();
    await expect(impersonation.backToMeMenu).toHaveCount(0);

    // No tab asked main, as jdoe, for what jdoe may not read: the session's refusals are the three asked above.
    const refused = (await callApi(page, deputy, 'audit.list', { effectiveUser: 'jdoe', outcome: 'refused' })) as {
      value: AuditPage;
    };
    expect(refused.value.rows.map((r) => r.message.replace(/ on .*/s, ''))).toEqual([
      'Refused settings.update',
      'Refused audit.read',
      'Refused session.start',
    ]);

    await shell.open('Audit log');
    const log = new AuditLogPage(page);
    const start = log.record(START_JANE);
    const end = log.record(END_JANE);
    const settingsRefused = log.record(/^Refused settings\.update/);
    const chainRefused = log.record(/^Refused session\.start on user:pmehta/);
    await expect(start).toHaveCount(1);
    await expect(end).toHaveCount(1);
    await expect(settingsRefused).toHaveCount(1);
    await expect(chainRefused).toHaveCount(1);
    // R-S7: the start as the impersonated user, the end as the impersonator.
    await expect(log.cell(start, 'Username')).toHaveText('jdoe (alice)');
    await expect(log.cell(start, 'Action')).toHaveText('impersonation.start');
    await expect(log.cell(end, 'Username')).toHaveText('alice');
    await expect(log.cell(end, 'Action')).toHaveText('impersonation.end');
    // R-S8: everything done during the session, refusals included, carries `jdoe (alice)`.
    await expect(log.cell(settingsRefused, 'Username')).toHaveText('jdoe (alice)');
    await expect(log.cell(chainRefused, 'Username')).toHaveText('jdoe (alice)');
    await expect(log.cell(chainRefused, 'Message')).toContainText('(R-S5)');
    // Newest first: the end comes after what was done, which comes after the start.
    const seq = async (row: typeof start) => Number(await log.cell(row, '#').textContent());
    expect(await seq(end)).toBeGreaterThan(await seq(settingsRefused));
    expect(await seq(settingsRefused)).toBeGreaterThan(await seq(start));
    await shot(page, testInfo, 'audit-impersonation');
  });

  test('Sessions tab lists the session, and Records opens that session’s records', async ({
    page,
    console: deputy,
  }) => {
    const shell = new ShellPage(page);
    const impersonation = new ImpersonationPage(page);
    await impersonation.impersonate('Ja', JANE, 'REQ-42');
    await refusedSettingsUpdate(page, deputy);
    await impersonation.bannerBackToMe.click();
    await expect(impersonation.banner).toHaveCount(0);

    // A second session, ended from the user menu: its records must not show under the first one.
    await impersonation.impersonate('Priya', 'Priya Mehta (pmehta)', 'REQ-43');
    await refusedSettingsUpdate(page, deputy);
    await impersonation.backToMeMenu.click();
    await expect(impersonation.banner).toHaveCount(0);

    await shell.open('Sessions');
    const sessions = new SessionsPage(page);
    await expect(sessions.everyone).toBeChecked(); // alice holds audit.read
    await expect(sessions.rows).toHaveCount(2);
    const row = sessions.row('REQ-42');
    await expect(row).toHaveCount(1);
    await expect(sessions.cell(row, 'Who')).toHaveText('alice');
    await expect(sessions.cell(row, 'As whom')).toHaveText('jdoe');
    await expect(sessions.cell(row, 'Started')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await expect(sessions.cell(row, 'Ended')).toContainText('Back to me');
    await expect(sessions.cell(sessions.row('REQ-43'), 'As whom')).toHaveText('pmehta');
    await expect(sessions.cell(sessions.row('REQ-43'), 'Ended')).toContainText('Back to me');
    expect(Number(await sessions.cell(row, 'Actions').textContent())).toBeGreaterThanOrEqual(1);

    await sessions.records(row).click();
    await expect(shell.tab('Audit log')).toHaveAttribute('aria-selected', 'true');
    const log = new AuditLogPage(page);
    await expect(log.session).not.toHaveValue('');
    await expect(log.record(START_JANE)).toHaveCount(1);
    await expect(log.record(END_JANE)).toHaveCount(1); // the end record too, written as alice (R-S7)
    await expect(log.record(/^Refused settings\.update/)).toHaveCount(1);
    // Every record of the session carries `jdoe (alice)` (R-S8); only its end record, if shown, is alice's (R-S7).
    const during = log.rows.filter({ hasNot: page.getByRole('cell', { name: END_JANE, exact: true }) });
    const usernames = await during.locator('td:nth-child(4)').allTextContents();
    expect(usernames.length).toBeGreaterThanOrEqual(2);
    expect(new Set(usernames)).toEqual(new Set(['jdoe (alice)']));

    // The other session's Records show only its own.
    await shell.open('Sessions');
    await sessions.records(sessions.row('REQ-43')).click();
    await expect(log.record('Impersonation start: Priya Mehta (pmehta) by: Alice Admin (alice)')).toHaveCount(1);
    await expect(log.record(START_JANE)).toHaveCount(0);
    const others = await log.rows
      .filter({ hasNot: page.getByRole('cell', { name: /^Impersonation end: / }) })
      .locator('td:nth-child(4)')
      .allTextContents();
    expect(new Set(others)).toEqual(new Set(['pmehta (alice)']));
  });

  // A refusal that does not come from the policy (here: not_found) is recorded by dispatch, inside the
  // session's attribution too.
  test('R-S8: every refusal during a session carries jdoe (alice), not only policy refusals', async ({
    page,
    console: deputy,
  }) => {
    const impersonation = new ImpersonationPage(page);
    await impersonation.impersonate('Ja', JANE, 'REQ-42');
    const dismissed = await callApi(page, deputy, 'notices.dismiss', { id: 999_999 });
    expect(dismissed).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await impersonation.bannerBackToMe.click();
    await expect(impersonation.banner).toHaveCount(0);

    await new ShellPage(page).open('Audit log');
    const log = new AuditLogPage(page);
    const refused = log.record('Refused notices.dismiss: There is no such unread notice for you.');
    await expect(refused).toHaveCount(1);
    await expect(log.cell(refused, 'Username')).toHaveText('jdoe (alice)', { timeout: 2_000 });
  });

  test('R-S9: a session ended by itself refuses the next action instead of running it as alice; the banner goes', async ({
    page,
    console: deputy,
  }) => {
    // Elsewhere, a program (hr-sync, user_group_management, for ursula the User Admin) will deactivate jdoe.
    const key = (await callApi(page, deputy, 'keys.create', { username: 'hr-sync', days: 1 })) as {
      value: { id: string; secret: string };
    };
    const impersonation = new ImpersonationPage(page);
    await impersonation.impersonate('Ja', JANE, 'REQ-42');
    const deactivated = await fetch(`${deputy.serviceUrl}directory.setStatus`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${key.value.id}:${key.value.secret}`).toString('base64')}`,
        'deputy-on-behalf-of': 'ursula',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ username: 'jdoe', status: 'inactive' }),
    });
    expect(deactivated.status).toBe(200);

    const shell = new ShellPage(page);
    await shell.open('Flows'); // its list is asked of main when it opens
    // At once, not at the window's next status poll (30 s).
    await expect(impersonation.banner).toHaveCount(0, { timeout: 5_000 });
    await expect(shell.tab('Audit log')).toBeVisible();
    await shell.open('Audit log');
    const log = new AuditLogPage(page);
    const refused = log.record(/^Refused [a-zA-Z.]+: Your impersonation of Jane Doe \(jdoe\) ended/);
    await expect(refused).toHaveCount(1);
    await expect(log.cell(refused, 'Username')).toHaveText('alice');
  });

  test('the impersonated user is told, and a dismissed notice stays dismissed', async ({ page }) => {
    const impersonation = new ImpersonationPage(page);
    await impersonation.impersonate('Ja', JANE, 'REQ-42');
    await impersonation.bannerBackToMe.click();
    await expect(impersonation.banner).toHaveCount(0);
    // alice herself has nothing to read.
    await expect(impersonation.notices).toHaveCount(0);

    await signInAs(page, 'jdoe');
    const notice = impersonation.notice(
      /^Alice Admin \(alice\) impersonated you on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, reason: REQ-42/,
    );
    await expect(notice).toHaveCount(1);
    await expect(notice).toBeVisible();
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(impersonation.notices).toHaveCount(0);

    await page.reload();
    await expect(new ShellPage(page).operator).toHaveText('Jane Doe (jdoe)');
    await expect(new ShellPage(page).tab('Settings')).toBeVisible();
    await expect(impersonation.notices).toHaveCount(0);
  });

  test('R-S10: a session left open by a crash is closed with an end record at the next start', async ({
    page,
    console: deputy,
  }) => {
    const impersonation = new ImpersonationPage(page);
    await impersonation.impersonate('Ja', JANE, 'REQ-42');
    const firstUrl = deputy.url;

    await deputy.crash();
    await deputy.restart();
    expect(deputy.url).not.toBe(firstUrl);

    await page.goto(deputy.url);
    const signIn = new SignInPage(page);
    await expect(signIn.form).toBeVisible();
    await signIn.signIn('alice', DEMO_PASSWORD);
    const shell = new ShellPage(page);
    await expect(shell.operator).toHaveText('Alice Admin (alice)');
    await expect(shell.tab('Audit log')).toBeVisible();
    await expect(impersonation.banner).toHaveCount(0);

    await shell.open('Audit log');
    const log = new AuditLogPage(page);
    const end = log.record(END_JANE);
    await expect(end).toHaveCount(1);
    await expect(log.cell(end, 'Username')).toHaveText('alice');
    const detail = await log.open(end);
    await expect(detail).toContainText('crash_recovery');
    await expect(detail).toContainText('the console stopped unexpectedly');

    await shell.open('Sessions');
    const sessions = new SessionsPage(page);
    await expect(sessions.rows).toHaveCount(1);
    await expect(sessions.cell(sessions.row('REQ-42'), 'Ended')).toContainText('closed after a crash');
  });

  test('R-S10: the duration is capped by the setting and a reason is required', async ({ page, console: deputy }) => {
    const impersonation = new ImpersonationPage(page);
    const dialog = await impersonation.openDialog();
    await expect(dialog.minutes).toHaveAccessibleName('Minutes (at most 60)');
    await expect(dialog.minutes).toHaveValue('60');
    await expect(dialog.minutes).toHaveAttribute('max', '60');
    await expect(dialog.reason).toHaveAccessibleName('Reason (required)');

    const tooLong = await callApi(page, deputy, 'impersonation.start', {
      username: 'jdoe',
      reason: 'REQ-42',
      minutes: 61,
    });
    expect(tooLong).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'A session lasts at most 60 minutes (setting).',
        field: 'minutes',
        rule: 'R-S10',
      },
    });
    for (const reason of ['', '   ']) {
      const noReason = await callApi(page, deputy, 'impersonation.start', { username: 'jdoe', reason });
      expect(noReason).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'reason', rule: 'R-S10' } });
    }

    // The dialog says so too: no reason, no session.
    await dialog.search('Ja');
    await dialog.candidate(JANE).click();
    await dialog.submit.click();
    await expect(dialog.error).toHaveText('Give a reason for impersonating: it goes into the logs.');
    await expect(impersonation.banner).toHaveCount(0);

    const status = (await callApi(page, deputy, 'app.status', {})) as { value: { impersonation: unknown } };
    expect(status.value.impersonation).toBeNull();
    await dialog.cancel.click();
    const shell = new ShellPage(page);
    await shell.open('Sessions');
    await expect(new SessionsPage(page).empty).toBeVisible();
  });

  test('R-S10: a lower maximum in Settings caps the dialog and the server', async ({ page, console: deputy }) => {
    const shell = new ShellPage(page);
    await shell.open('Settings');
    const section = page.getByRole('region', { name: 'Impersonation' });
    const longest = section.getByRole('spinbutton', { name: 'Longest session, in minutes (at most 480)' });
    await expect(longest).toHaveValue('60'); // the stored value is in: it cannot overwrite what we type
    // A reason is no setting: always required, which the card says (R-S10).
    await expect(section.getByRole('checkbox')).toHaveCount(0);
    await expect(section.getByRole('note')).toHaveText(
      'Every session needs a reason, which goes into the logs. Rule R-S10',
    );
    await longest.fill('30');
    await section.getByRole('button', { name: 'Save' }).click();
    await expect(section.getByRole('status')).toHaveText('Saved: sessions last at most 30 minutes.');

    const impersonation = new ImpersonationPage(page);
    const dialog = await impersonation.openDialog();
    await expect(dialog.minutes).toHaveAccessibleName('Minutes (at most 30)');
    await expect(dialog.minutes).toHaveValue('30');

    const tooLong = await callApi(page, deputy, 'impersonation.start', {
      username: 'jdoe',
      reason: 'REQ-42',
      minutes: 31,
    });
    expect(tooLong).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'A session lasts at most 30 minutes (setting).', field: 'minutes' },
    });

    await dialog.search('Ja');
    await dialog.start(JANE, { reason: 'REQ-42' });
    await expect(impersonation.banner).toContainText(`You are impersonating ${JANE} — 30 min left`);
  });
});
