import { DEMO_PASSWORD, expect, openWithDemo, shot, signInAs, test } from './fixtures';
import { DirectoryActionsPage } from './pages/directory-actions-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/** resources/demo.json: 15 users and 2 service accounts. */
const DEMO_PRINCIPALS = 17;

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

  test('an auditor sees no Unlock, Deactivate or Roles buttons', async ({ page }) => {
    await signInAs(page, 'audrey');
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
});
