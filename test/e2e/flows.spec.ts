import { callApi, expect, openWithDemo, shot, test } from './fixtures';
import { FlowsPage } from './pages/flows-page';
import { ShellPage } from './pages/shell-page';

test.describe('Flows', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    const shell = new ShellPage(page);
    await shell.open('Flows');
    await expect(shell.tab('Flows')).toHaveAttribute('aria-selected', 'true');
  });

  test('R-K3: an integration says impersonation cannot be configured on it', async ({ page }) => {
    const flows = new FlowsPage(page);
    const settings = await flows.open('Purchase Request to Order');
    await expect(settings.region).toBeVisible();
    await expect(settings.notConfigurableNote).toContainText(
      'Impersonation access cannot be configured on an integration:',
    );
    // The rule is a muted detail after the sentence, not part of it.
    await expect(settings.notConfigurableNote).toContainText('it exists only for processes, boards and datasets.');
    await expect(settings.notConfigurableNote).not.toContainText('(R-K3)');
    await expect(settings.notConfigurableNote.getByText('Rule R-K3', { exact: true })).toBeVisible();
    // alice is its Flow Admin, yet no impersonation control is offered.
    await expect(settings.roleOf('alice')).toHaveValue('flow_admin');
    await expect(settings.serviceAccount).toHaveCount(0);
    await expect(settings.grantButton).toHaveCount(0);
    await expect(flows.row('Purchase Request to Order')).toContainText('only processes, boards and datasets.Rule R-K3');
  });

  test('R-K3: the server refuses impersonation access on an integration, even to its Flow Admin', async ({
    page,
    console: deputy,
  }) => {
    const result = await callApi(page, deputy, 'flows.setImpersonation', {
      flow: 'Purchase Request to Order',
      serviceAccount: 'po-bot',
      enabled: true,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('only for processes, boards and datasets') },
    });
    const settings = await new FlowsPage(page).open('Purchase Request to Order');
    await expect(settings.notConfigurableNote).toBeVisible();
    await expect(settings.impersonationList).toHaveCount(0);
  });

  test('R-K4: the server refuses impersonation changes from a Super Admin who is not Flow Admin', async ({
    page,
    console: deputy,
  }) => {
    const result = await callApi(page, deputy, 'flows.setImpersonation', {
      flow: 'Purchase Order',
      serviceAccount: 'hr-sync',
      enabled: true,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-K4' } });
    const settings = await new FlowsPage(page).open('Purchase Order');
    await expect(settings.impersonationList).toHaveText(['po-bot']);
  });

  test('R-K4: a Super Admin adds themself as Flow Admin, then grants impersonation access', async ({
    page,
  }, testInfo) => {
    const flows = new FlowsPage(page);
    let settings = await flows.open('Purchase Order');

    // alice is not a member of Purchase Order: she sees its access but cannot change it.
    await expect(settings.impersonationList).toHaveText(['po-bot']);
    await expect(settings.onlyFlowAdminNote).toBeVisible();
    await expect(settings.serviceAccount).toHaveCount(0);
    await expect(settings.grantButton).toHaveCount(0);
    await expect(settings.revokeButtons).toHaveCount(0);
    await expect(settings.roleOf('bbuyer')).toBeDisabled();
    await expect(settings.roleOf('alice')).toHaveCount(0);
    await expect(settings.addMeAsFlowAdmin).toBeVisible();

    await settings.addMeAsFlowAdmin.click();
    await expect(settings.roleOf('alice')).toHaveValue('flow_admin');
    await expect(settings.addMeAsFlowAdmin).toHaveCount(0);
    await expect(settings.onlyFlowAdminNote).toHaveCount(0);
    await expect(settings.grantButton).toBeVisible();
    await expect(settings.error).toHaveCount(0);

    await settings.grant('hr-sync');
    await expect(settings.impersonationList).toHaveCount(2);
    await expect(settings.impersonationOf('po-bot')).toBeVisible();
    await expect(settings.impersonationOf('hr-sync')).toBeVisible();
    await expect(settings.revokeButton('hr-sync')).toBeVisible();
    await expect(settings.error).toHaveCount(0);
    await expect(flows.row('Purchase Order')).toContainText('hr-sync');
    await shot(page, testInfo, 'flow-settings');

    // Both changes are stored: after a reload alice is still Flow Admin and hr-sync still listed.
    await page.reload();
    await new ShellPage(page).open('Flows');
    settings = await flows.open('Purchase Order');
    await expect(settings.roleOf('alice')).toHaveValue('flow_admin');
    await expect(settings.impersonationList).toHaveCount(2);
    await expect(settings.impersonationOf('po-bot')).toBeVisible();
    await expect(settings.impersonationOf('hr-sync')).toBeVisible();
    await expect(settings.grantButton).toBeVisible();
  });
});
