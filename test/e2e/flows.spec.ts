import { callApi, expect, openWithDemo, shot, signInAs, test } from './fixtures';
import { FlowSettingsCard, FlowsPage } from './pages/flows-page';
import { ShellPage } from './pages/shell-page';

test.describe('Flows', () => {
  test.beforeEach(async ({ page, console: deputy }) => {
    await openWithDemo(page, deputy);
    const shell = new ShellPage(page);
    await shell.open('Flows');
    await expect(shell.tab('Flows')).toHaveAttribute('aria-selected', 'true');
  });

  test('New flow: a Super Admin creates one, becomes its Flow Admin and may grant impersonation in it (R-K4)', async ({
    page,
  }) => {
    const flows = new FlowsPage(page);
    const form = flows.newFlow;
    await form.name.fill('Purchase order');
    await form.create.click();
    await expect(form.error).toHaveText('There is a flow named Purchase Order already.');
    await form.name.fill('Invoices');
    await form.type.selectOption('board');
    await form.create.click();
    await expect(flows.row('Invoices')).toContainText('board');
    const settings = new FlowSettingsCard(page, 'Invoices');
    // Its settings open, focused (and so in view), and My flows lists it at once, to create its first item.
    await expect(settings.region.getByRole('heading', { level: 2 })).toBeFocused();
    await expect(
      page.getByRole('region', { name: 'My flows' }).getByRole('button', { name: 'Invoices' }),
    ).toBeVisible();
    await expect(settings.roleOf('alice')).toHaveValue('flow_admin');
    await expect(settings.grantButton).toBeVisible();
    await expect(form.name).toHaveValue('');
  });

  test('Fields: a Flow Admin adds a field to the items of a flow, saved as one History record', async ({ page }) => {
    const settings = await new FlowsPage(page).open('Purchase Request');
    const fields = settings.region.getByRole('region', { name: 'Fields', exact: true });
    await expect(fields.getByRole('textbox', { name: /^Name of field/ })).toHaveCount(3);
    await expect(fields.getByRole('button', { name: 'Save fields' })).toBeDisabled();
    await fields.getByRole('button', { name: 'Add field' }).click();
    // A name used twice is refused, beside nothing written.
    await fields.getByRole('textbox', { name: 'Name of field 4' }).fill('Vendor');
    await fields.getByRole('button', { name: 'Save fields' }).click();
    await expect(fields.getByRole('alert')).toHaveText('Vendor is in the list twice.');
    await fields.getByRole('textbox', { name: 'Name of field 4' }).fill('Cost centre');
    await fields.getByRole('combobox', { name: 'Type of field 4' }).selectOption('number');
    await fields.getByRole('checkbox', { name: 'Field 4 required' }).check();
    await fields.getByRole('button', { name: 'Save fields' }).click();
    await expect(fields.getByRole('alert')).toHaveCount(0);
    await expect(fields.getByRole('button', { name: 'Save fields' })).toBeDisabled();
    await expect(settings.historyEntries.first()).toContainText(
      'Purchase Request: fields Amount (number), Vendor (text), Needed by (date) → Amount (number), Vendor (text), Needed by (date), Cost centre (number, required)',
    );
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

  test('Add member on a member asks before changing their role: Cancel keeps it, Change role changes it', async ({
    page,
  }) => {
    const settings = await new FlowsPage(page).open('Purchase Request');
    await expect(settings.roleOf('jdoe')).toHaveValue('initiator');

    await settings.addMember('jdoe', 'participant');
    await expect(settings.changeRoleDialog).toContainText(/already a member of Purchase Request as initiator/i);
    await expect(settings.changeRoleDialog).toContainText(/change their role to participant\?/i);
    await settings.changeRoleDialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(settings.changeRoleDialog).toHaveCount(0);
    await expect(settings.roleOf('jdoe')).toHaveValue('initiator');
    await expect(settings.error).toHaveCount(0);

    await settings.addMember('jdoe', 'participant');
    await settings.changeRoleDialog.getByRole('button', { name: 'Change role', exact: true }).click();
    await expect(settings.roleOf('jdoe')).toHaveValue('participant');
    await expect(settings.changeRoleDialog).toHaveCount(0);
  });

  test('R-K4: a Super Admin removes their self-addition after granting, and the flow’s History shows both', async ({
    page,
  }) => {
    const settings = await new FlowsPage(page).open('Purchase Order');
    await expect(settings.removeMyAddition).toHaveCount(0);

    await settings.addMeAsFlowAdmin.click();
    await settings.grant('hr-sync');
    await expect(settings.impersonationOf('hr-sync')).toBeVisible();
    await expect(settings.removeMyAddition).toBeVisible();
    await expect(settings.historyEntries).toContainText([
      'impersonation access for hr-sync granted',
      'alice added themself as Flow Admin of Purchase Order (was not a member)',
    ]);

    await settings.removeMyAddition.click();
    await expect(settings.roleOf('alice')).toHaveCount(0);
    await expect(settings.removeMyAddition).toHaveCount(0);
    // The grant stays; the History lists the removal, the grant and the addition, newest first.
    await expect(settings.impersonationOf('hr-sync')).toBeVisible();
    await expect(settings.historyEntries.first()).toContainText(
      'alice removed their own Flow Admin addition to Purchase Order (back to not a member)',
    );
    await expect(settings.historyEntries).toContainText([
      'alice removed their own Flow Admin addition to Purchase Order (back to not a member)',
      'impersonation access for hr-sync granted',
      'alice added themself as Flow Admin of Purchase Order (was not a member)',
    ]);

    // A User Admin reads the directory and flow settings but not the audit log: no History section, and no
    // refusal in its place.
    await signInAs(page, 'ursula');
    await new ShellPage(page).open('Flows');
    const asUserAdmin = await new FlowsPage(page).open('Purchase Order');
    await expect(asUserAdmin.impersonationOf('hr-sync')).toBeVisible();
    await expect(asUserAdmin.history).toHaveCount(0);
    await expect(asUserAdmin.error).toHaveCount(0);
  });
});
