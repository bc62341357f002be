import { expect, shot, test } from './fixtures';
import { FirstRunPage } from './pages/first-run-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

test.describe('first run', () => {
  test('a new database opens on the first-run screen', async ({ page, console: deputy }, testInfo) => {
    await page.goto(deputy.url);
    const firstRun = new FirstRunPage(page);
    await expect(firstRun.heading).toBeVisible();
    await expect(firstRun.adminForm).toBeVisible();
    await expect(firstRun.demoForm).toBeVisible();
    await expect(page.getByRole('tablist')).toHaveCount(0);
    await shot(page, testInfo, 'first-run');
  });

  test('a password under 12 characters is refused and the screen stays', async ({
    page,
    console: deputy,
  }, testInfo) => {
    await page.goto(deputy.url);
    const firstRun = new FirstRunPage(page);
    await firstRun.createFirstAdmin({ username: 'grace', displayName: 'Grace Hopper', password: 'elevenchars' });
    // Beside the Password field, as its description, without the input's path.
    await expect(firstRun.adminError).toHaveText('A password needs at least 12 characters.');
    await expect(firstRun.password).toHaveAttribute('aria-invalid', 'true');
    await expect(firstRun.password).toHaveAccessibleDescription('A password needs at least 12 characters.');
    await expect(firstRun.adminForm.locator('[data-field="password"]').getByRole('alert')).toHaveCount(1);
    await expect(firstRun.heading).toBeVisible();
    await expect(firstRun.createButton).toBeEnabled();
    await expect(new ShellPage(page).operator).toHaveCount(0);
    await shot(page, testInfo, 'first-run-error');

    // Nothing was created: a reload still shows the first-run screen, not the sign-in screen.
    await page.reload();
    await expect(firstRun.heading).toBeVisible();
  });

  test('the password is typed twice and a display name is needed; a mismatch or no name creates nothing', async ({
    page,
    console: deputy,
  }, testInfo) => {
    await page.goto(deputy.url);
    const firstRun = new FirstRunPage(page);
    await expect(firstRun.password2).toBeVisible();
    await firstRun.createFirstAdmin({
      username: 'grace',
      displayName: 'Grace Hopper',
      password: 'a-long-enough-password',
      again: 'a-long-enough-passwore',
    });
    await expect(firstRun.adminError).toHaveText('The two passwords differ: type the same password twice.');
    await shot(page, testInfo, 'first-run-passwords-differ');
    await firstRun.createFirstAdmin({ username: 'grace', displayName: '  ', password: 'a-long-enough-password' });
    await expect(firstRun.displayName).toHaveAttribute('aria-invalid', 'true');
    await expect(firstRun.displayName).toHaveAccessibleDescription(/Enter a display name\./);
    await page.reload();
    await expect(firstRun.heading).toBeVisible();
  });

  test('the first Super Admin is created and signed in', async ({ page, console: deputy }, testInfo) => {
    await page.goto(deputy.url);
    const firstRun = new FirstRunPage(page);
    await firstRun.createFirstAdmin({
      username: 'grace',
      displayName: 'Grace Hopper',
      password: 'a-long-enough-password',
    });
    const shell = new ShellPage(page);
    await expect(shell.operator).toHaveText('Grace Hopper (grace)');
    await expect(firstRun.heading).toHaveCount(0);
    await expect(shell.tab('Directory')).toHaveAttribute('aria-selected', 'true');
    await expect(shell.tab('Settings')).toHaveAttribute('aria-selected', 'false');
    await shot(page, testInfo, 'shell-after-setup');

    // The new admin can sign out and back in with that password.
    await shell.signOut();
    const signIn = new SignInPage(page);
    await expect(signIn.form).toBeVisible();
    await signIn.signIn('grace', 'a-long-enough-password');
    await expect(shell.operator).toHaveText('Grace Hopper (grace)');
  });
});
