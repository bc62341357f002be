import { callApi, DEMO_PASSWORD, expect, openWithDemo, shot, signInAs, test } from './fixtures';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { DirectoryActionsPage } from './pages/directory-actions-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/** resources/demo.json: 15 users and 3 service accounts (supplier-portal serves the demo's supplier portal). */
const DEMO_PRINCIPALS = 18;

test.describe('Directory actions', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    await expect(new DirectoryActionsPage(page).rows).toHaveCount(DEMO_PRINCIPALS);
  });

  test('unlocking lou lets lou sign in again', async ({ page }, testInfo) => {
    const directory = new DirectoryActionsPage(page);
    await expect(directory.statusOf('lou')).toHaveText('locked');
    await directory.statusButton('Unlock', 'lou').click();
    await expect(directory.statusOf('lou')).toHaveText('active');
    // The row now offers the next change instead.
    await expect(directory.statusButton('Deactivate', 'lou')).toBeVisible();
    await expect(directory.statusButton('Unlock', 'lou')).toHaveCount(0);
    await shot(page, testInfo, 'directory-actions');

    await new ShellPage(page).signOut();
    const signIn = new SignInPage(page);
    await signIn.signIn('lou', DEMO_PASSWORD);
    await expect(new ShellPage(page).operator).toHaveText('Lou Locked (lou)');
  });

  test('deactivating jdoe asks first, saying what jdoe loses; Cancel keeps jdoe active, Deactivate deactivates', async ({
    page,
  }, testInfo) => {
    const directory = new DirectoryActionsPage(page);
    await expect(directory.statusOf('jdoe')).toHaveText('active');
    const confirm = new ConfirmDialogPage(page, 'Deactivate jdoe?');
    await directory.statusButton('Deactivate', 'jdoe').click();
    await expect(confirm.root).toContainText(
      'Jane Doe can no longer sign in, an open session of theirs ends at their next action, and nobody can impersonate them until',
    );
    await expect(confirm.root.getByText('Rule R-S4', { exact: true })).toBeVisible();
    await shot(page, testInfo, 'confirm-deactivate');
    await confirm.cancel();
    await expect(directory.statusOf('jdoe')).toHaveText('active');

    await directory.statusButton('Deactivate', 'jdoe').click();
    await confirm.confirm('Deactivate');
    await expect(directory.statusOf('jdoe')).toHaveText('inactive');
    // Giving access back needs no confirmation.
    await directory.statusButton('Activate', 'jdoe').click();
    await expect(directory.statusOf('jdoe')).toHaveText('active');
    await expect(confirm.root).toHaveCount(0);
  });

  test('an auditor sees no Unlock, Deactivate or Roles buttons', async ({ page }) => {
    await signInAs(page, 'audrey');
    await new ShellPage(page).open('Directory');
    const directory = new DirectoryActionsPage(page);
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await expect(directory.statusOf('lou')).toHaveText('locked');
    await expect(directory.rowButtons).toHaveCount(0);
    await expect(directory.statusButton('Unlock', 'lou')).toHaveCount(0);
    await expect(directory.statusButton('Deactivate', 'jdoe')).toHaveCount(0);
    await expect(directory.editRolesButton('jdoe')).toHaveCount(0);
  });

  test('a Super Admin gives jdoe the impersonator role', async ({ page }) => {
    const directory = new DirectoryActionsPage(page);
    await expect(directory.rolesOf('jdoe')).toHaveText('—');
    await directory.setRole('jdoe', 'impersonator', true);
    await expect(directory.rolesEditor('jdoe')).toHaveCount(0);
    await expect(directory.rolesOf('jdoe')).toHaveText('impersonator');

    // Stored, not just shown.
    await page.reload();
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    await expect(directory.rolesOf('jdoe')).toHaveText('impersonator');
  });

  test('a row offers only the changes main would accept: a User Admin over a Super Admin, an IAM Admin, a person', async ({
    page,
    console: deputy,
  }) => {
    const directory = new DirectoryActionsPage(page);
    const checkbox = (username: string, role: string) =>
      directory.rolesEditor(username).getByRole('checkbox', { name: role, exact: true });

    // alice, the only active Super Admin, on her own row: no status, password or delete; in the roles
    // editor her Super Admin role is fixed (her own administrator role, and the last one).
    await expect(directory.statusButton('Deactivate', 'alice')).toHaveCount(0);
    await expect(directory.passwordButton('alice')).toHaveCount(0);
    await expect(directory.deleteButton('alice')).toHaveCount(0);
    await directory.editRolesButton('alice').click();
    await expect(checkbox('alice', 'super admin')).toBeDisabled();
    await expect(checkbox('alice', 'auditor')).toBeEnabled();

    await signInAs(page, 'ursula');
    await expect(directory.rows).toHaveCount(DEMO_PRINCIPALS);
    // Her own row: only her display name.
    await expect(directory.row('ursula').getByRole('button')).toHaveText(['Edit']);
    // A Super Admin (the last active one too): no status change, password or delete.
    await expect(directory.statusButton('Deactivate', 'alice')).toHaveCount(0);
    await expect(directory.passwordButton('alice')).toHaveCount(0);
    await expect(directory.deleteButton('alice')).toHaveCount(0);
    // An IAM Admin: a User Admin may not deactivate, set the password of, nor delete someone holding rights she
    // lacks (R-K7).
    await expect(directory.statusButton('Deactivate', 'ivan')).toHaveCount(0);
    await expect(directory.passwordButton('ivan')).toHaveCount(0);
    await expect(directory.deleteButton('ivan')).toHaveCount(0);
    // A service account is changed under R-K1, which a User Admin lacks.
    await expect(directory.row('po-bot').getByRole('button')).toHaveCount(0);
    // A person without roles: everything, and of the roles only the one she holds herself.
    await expect(directory.statusButton('Deactivate', 'jdoe')).toBeVisible();
    await expect(directory.passwordButton('jdoe')).toBeVisible();
    await expect(directory.deleteButton('jdoe')).toBeVisible();
    await directory.editRolesButton('jdoe').click();
    await expect(checkbox('jdoe', 'user admin')).toBeEnabled();
    for (const role of ['super admin', 'iam admin', 'auditor', 'impersonator']) {
      await expect(checkbox('jdoe', role)).toBeDisabled();
    }

    // Main refuses each change the rows do not offer.
    const refusals: [string, object, string][] = [
      ['directory.setStatus', { username: 'alice', status: 'inactive' }, 'forbidden'],
      ['directory.setStatus', { username: 'ivan', status: 'inactive' }, 'forbidden'],
      ['directory.setPassword', { username: 'alice', password: 'another-password-1' }, 'forbidden'],
      ['directory.delete', { username: 'ivan' }, 'forbidden'],
      ['directory.setPassword', { username: 'ivan', password: 'another-password-1' }, 'forbidden'],
      ['directory.setStatus', { username: 'po-bot', status: 'inactive' }, 'forbidden'],
      ['directory.setStatus', { username: 'ursula', status: 'inactive' }, 'conflict'],
      ['directory.setRoles', { username: 'jdoe', roles: ['auditor'] }, 'forbidden'],
    ];
    for (const [method, input, code] of refusals) {
      expect(await callApi(page, deputy, method, input), method).toMatchObject({ ok: false, error: { code } });
    }
  });

  test('R-S3: the empty-name filter finds kchen, whose name is fixed here; a new person is created', async ({
    page,
  }, testInfo) => {
    const directory = new DirectoryActionsPage(page);
    await page.getByRole('checkbox', { name: 'Empty display name only' }).check();
    await expect(directory.row('kchen')).toBeVisible();
    await directory.row('kchen').getByRole('button', { name: 'Edit display name of kchen' }).click();
    await page.getByRole('textbox', { name: 'New display name for kchen' }).fill('Kim Chen');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect(directory.row('kchen')).toHaveCount(0); // no longer empty, so no longer listed
    await page.getByRole('checkbox', { name: 'Empty display name only' }).uncheck();
    await expect(directory.row('kchen').getByRole('cell', { name: /Kim Chen/ })).toBeVisible();

    await page.getByRole('button', { name: 'New person…' }).click();
    const form = page.getByRole('form', { name: 'New person' });
    await form.getByLabel('Username').fill('nina');
    await form.getByLabel('Display name').fill('Nina New');
    await shot(page, testInfo, 'directory-new-person');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(directory.row('nina').getByRole('cell', { name: /Nina New/ })).toBeVisible();
  });
});
