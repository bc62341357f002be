import { expect, openWithDemo, shot, test } from './fixtures';
import { AccessCheckPage } from './pages/access-check-page';
import { ShellPage } from './pages/shell-page';

test.describe('Access check', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    const shell = new ShellPage(page);
    await shell.open('Access check');
    await expect(shell.tab('Access check')).toHaveAttribute('aria-selected', 'true');
  });

  test('R-K5: po-bot acting as jdoe may create an item in Purchase Order', async ({ page }, testInfo) => {
    const access = new AccessCheckPage(page);
    await access.check({ actor: 'po-bot', actingAs: 'jdoe', action: 'item.create', flow: 'Purchase Order' });
    await expect(access.verdict).toHaveText('Allowed');
    await expect(access.reasons).toHaveText([
      'R-K5 po-bot has impersonation access to flow Purchase Order',
      'R-K5 jdoe is an active member of flow Purchase Order',
      'R-K6 via catalog as jdoe: jdoe is initiator of flow Purchase Order, which grants item.create',
    ]);
    await expect(access.error).toHaveCount(0);
    await shot(page, testInfo, 'access-check-allowed');
  });

  test('R-K6: po-bot acting as jdoe may not delete an item: jdoe could not', async ({ page }, testInfo) => {
    const access = new AccessCheckPage(page);
    await access.check({ actor: 'po-bot', actingAs: 'jdoe', action: 'item.delete', flow: 'Purchase Order' });
    await expect(access.verdict).toHaveText('Denied');
    await expect(access.reasons.filter({ hasText: /^R-K6 / })).toHaveText([
      "R-K6 via catalog as jdoe: jdoe's role in flow Purchase Order (initiator) does not grant item.delete",
    ]);
    // The impersonation itself is fine (R-K5); it is jdoe's own rights that stop it.
    await expect(access.reasons.filter({ hasText: /^R-K5 / })).toHaveCount(2);
    await shot(page, testInfo, 'access-check-denied');
  });

  test('R-S4: ian may not start a session as lou, who is locked', async ({ page }) => {
    const access = new AccessCheckPage(page);
    await access.check({ actor: 'ian', action: 'session.start', user: 'lou' });
    await expect(access.verdict).toHaveText('Denied');
    await expect(access.reasons).toHaveCount(1);
    await expect(access.reasons.first()).toHaveText(/^R-S4 lou is locked\b/);
  });

  test('a new question replaces the previous decision', async ({ page }) => {
    const access = new AccessCheckPage(page);
    await access.check({ actor: 'po-bot', actingAs: 'jdoe', action: 'item.create', flow: 'Purchase Order' });
    await expect(access.verdict).toHaveText('Allowed');
    await access.action.selectOption('item.delete');
    await access.checkButton.click();
    await expect(access.verdict).toHaveText('Denied');
    await expect(access.decision).toHaveCount(1);
  });
});
