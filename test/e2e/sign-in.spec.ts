import { DEMO_PASSWORD, expect, openWithDemo, shot, test } from './fixtures';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/** The one answer to every refused sign-in (src/main/auth/signIn.ts signInRefusal, the default 15 minutes). */
const REFUSED = 'Wrong username or password. After 5 wrong passwords in a row an account is locked for 15 minutes.';

const WRONG_PASSWORD = 'not-the-demo-password';
const LOCK_AFTER = 5;

test.describe('sign in', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    await new ShellPage(page).signOut();
    await expect(new SignInPage(page).form).toBeVisible();
  });

  test('signing out shows the sign-in screen', async ({ page }, testInfo) => {
    const signIn = new SignInPage(page);
    await expect(signIn.heading).toBeVisible();
    await expect(signIn.submit).toBeEnabled();
    await expect(new ShellPage(page).operator).toHaveCount(0);
    await shot(page, testInfo, 'sign-in');

    // The sign-out is held by the server, not just the page: a reload stays signed out.
    await page.reload();
    await expect(signIn.form).toBeVisible();
    await expect(new ShellPage(page).operator).toHaveCount(0);
  });

  test('a wrong password is refused', async ({ page }, testInfo) => {
    const signIn = new SignInPage(page);
    await signIn.signIn('alice', WRONG_PASSWORD);
    await expect(signIn.error).toHaveText(REFUSED);
    await expect(new ShellPage(page).operator).toHaveCount(0);
    await shot(page, testInfo, 'sign-in-error');
  });

  test('an unknown user gets the same message as a wrong password', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.signIn('nobody-here', DEMO_PASSWORD);
    await expect(signIn.error).toHaveText(REFUSED);
  });

  test('the right password opens the console as that user', async ({ page }) => {
    await new SignInPage(page).signIn('audrey', DEMO_PASSWORD);
    const shell = new ShellPage(page);
    await expect(shell.operator).toHaveText('Audrey Auditor (audrey)');
    await expect(shell.tab('Directory')).toBeVisible();
    // An auditor, who reads the log and changes nothing, lands on it.
    await expect(shell.tab('Audit log')).toHaveAttribute('aria-selected', 'true');
  });

  test(`${LOCK_AFTER} wrong passwords lock the account`, async ({ page }) => {
    const signIn = new SignInPage(page);
    for (let attempt = 1; attempt < LOCK_AFTER; attempt++) {
      await signIn.signIn('jdoe', WRONG_PASSWORD);
      await expect(signIn.error).toHaveText(REFUSED);
      await expect(signIn.submit).toBeEnabled();
    }
    // The attempt that locks the account, and the right password after it, get the same answer: a stranger
    // guessing is never told that the account exists or is locked.
    await signIn.signIn('jdoe', WRONG_PASSWORD);
    await expect(signIn.error).toHaveText(REFUSED);
    await expect(signIn.submit).toBeEnabled();

    await signIn.signIn('jdoe', DEMO_PASSWORD);
    await expect(signIn.error).toHaveText(REFUSED);
    await expect(new ShellPage(page).operator).toHaveCount(0);
  });

  test('the demo user lou is locked from the start', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.signIn('lou', DEMO_PASSWORD);
    await expect(signIn.error).toHaveText(REFUSED);
    await expect(new ShellPage(page).operator).toHaveCount(0);
  });
});
