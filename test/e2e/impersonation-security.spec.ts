import { callApi, expect, openWithDemo, signInAs, test } from './fixtures';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { ImpersonationSecurityPage } from './pages/impersonation-security-page';
import { ShellPage } from './pages/shell-page';

async function openImpersonationSecurity(shell: ShellPage): Promise<void> {
  await shell.open('Impersonation security');
  await expect(shell.tab('Impersonation security')).toHaveAttribute('aria-selected', 'true');
}

test.describe('Impersonation security', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
  });

  test('R-K1: a Super Admin grants po-bot All flows and integrations, and it is stored', async ({ page }) => {
    const shell = new ShellPage(page);
    await openImpersonationSecurity(shell);
    const security = new ImpersonationSecurityPage(page);
    const grant = security.grant('po-bot', 'All flows and integrations');
    // The demo grants: po-bot has Global my items, hr-sync has User and group management.
    await expect(security.grant('po-bot', 'Global my items')).toBeChecked();
    await expect(grant).not.toBeChecked();
    await expect(grant).toBeEnabled();
    await expect(security.onlyAdminsNote).toHaveCount(0);

    // A controlled checkbox: it turns checked when the server answers, so click and wait (not check()).
    await grant.click();
    await expect(grant).toBeChecked();
    await expect(security.error).toHaveCount(0);

    await page.reload();
    await openImpersonationSecurity(shell);
    await expect(grant).toBeChecked();
    await expect(security.grant('po-bot', 'Global my items')).toBeChecked();
    await expect(security.grant('hr-sync', 'All flows and integrations')).not.toBeChecked();
  });

  test('R-K1: revoking a shared resource asks first, naming what is lost; Cancel keeps it, Revoke revokes', async ({
    page,
    console: deputy,
  }) => {
    await openImpersonationSecurity(new ShellPage(page));
    const security = new ImpersonationSecurityPage(page);
    const grant = security.grant('po-bot', 'Global my items');
    await expect(grant).toBeChecked();

    const confirm = new ConfirmDialogPage(page, 'Revoke Global my items from po-bot?');
    await grant.click();
    await expect(confirm.root).toContainText(
      "po-bot can no longer read users' Created by me and Assigned to me items.",
    );
    await expect(confirm.root.getByText('Rule R-K8', { exact: true })).toBeVisible();
    await confirm.cancel();
    await expect(grant).toBeChecked();
    await expect(grant).toBeFocused();
    expect(await callApi(page, deputy, 'sharedResources.list', {})).toMatchObject({
      ok: true,
      value: expect.arrayContaining([
        expect.objectContaining({ serviceAccount: 'po-bot', resources: ['global_my_items'] }),
      ]),
    });

    await grant.click();
    await confirm.confirm('Revoke');
    await expect(grant).not.toBeChecked();
    await expect(security.error).toHaveCount(0);
    await page.reload();
    await openImpersonationSecurity(new ShellPage(page));
    await expect(grant).not.toBeChecked();
  });

  test('R-K1: a User Admin sees the grants but cannot change them', async ({ page }) => {
    await signInAs(page, 'ursula');
    const shell = new ShellPage(page);
    await openImpersonationSecurity(shell);
    const security = new ImpersonationSecurityPage(page);
    await expect(security.grant('hr-sync', 'User and group management')).toBeChecked();
    // 3 service accounts × 3 shared resources, every one disabled.
    await expect(security.checkboxes).toHaveCount(9);
    for (const box of await security.checkboxes.all()) await expect(box).toBeDisabled();
    await expect(security.onlyAdminsNote).toBeVisible();
    await expect(page.getByRole('tabpanel')).toContainText('Only a Super Admin or IAM Admin changes these');
  });

  test('R-K1: the server refuses a User Admin who calls the API directly', async ({ page, console: deputy }) => {
    await signInAs(page, 'ursula');
    const result = await callApi(page, deputy, 'sharedResources.set', {
      serviceAccount: 'po-bot',
      resource: 'all_flows_integrations',
      enabled: true,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-K1' } });

    const shell = new ShellPage(page);
    await openImpersonationSecurity(shell);
    await expect(new ImpersonationSecurityPage(page).grant('po-bot', 'All flows and integrations')).not.toBeChecked();
  });

  test('R-K1: an IAM Admin may change the grants', async ({ page }) => {
    await signInAs(page, 'ivan');
    await openImpersonationSecurity(new ShellPage(page));
    const security = new ImpersonationSecurityPage(page);
    const grant = security.grant('hr-sync', 'Global my items');
    await expect(grant).toBeEnabled();
    await grant.click();
    await expect(grant).toBeChecked();
    await expect(security.error).toHaveCount(0);
  });
});
