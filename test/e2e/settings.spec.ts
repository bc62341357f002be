import { expect, openWithDemo, test } from './fixtures';
import { SettingsPage } from './pages/settings-page';
import { ShellPage } from './pages/shell-page';

test.describe('Settings', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    const shell = new ShellPage(page);
    await shell.open('Settings');
    await expect(shell.tab('Settings')).toHaveAttribute('aria-selected', 'true');
  });

  test('shows the OS keychain as available', async ({ page }) => {
    const settings = new SettingsPage(page);
    await expect(settings.keychainAvailable).toBeVisible();
    await expect(settings.keychainUnavailable).toHaveCount(0);
    await expect(settings.keychain).toContainText('Secrets are kept in the');
    await expect(new ShellPage(page).keychainWarning).toHaveCount(0);
  });

  test('saves the idle lock minutes', async ({ page }) => {
    const settings = new SettingsPage(page);
    // Wait for the stored value (the default is 15) so it cannot overwrite what we type.
    await expect(settings.idleMinutes).toHaveValue('15');
    await settings.setIdleMinutes(30);
    await expect(settings.saved).toHaveText('Saved: the session locks after 30 minutes idle.');
    await expect(settings.error).toHaveCount(0);

    // It is stored, not just shown: a reload reads 30 back.
    await page.reload();
    const shell = new ShellPage(page);
    await shell.open('Settings');
    await expect(settings.idleMinutes).toHaveValue('30');
  });
});
