// The Appian seed in the console (issue 20, items 1–3): alice, a Super Admin, makes a supplier portal through the
// form; its report shows the missing Editor on the upload folder (R-A2) and Default (All Other Users) Viewer on the
// record type (R-A3); one click fixes each, and the service account's record types then show it holds Viewer directly.
import { callApi, expect, openWithDemo, shot, test } from './fixtures';
import { ShellPage } from './pages/shell-page';

test('R-A2, R-A3: a portal’s findings, fixed one click at a time', async ({ page, console: deputy }, testInfo) => {
  await openWithDemo(page, deputy);
  for (const [name, kind, permissions] of [
    ['Supplier', 'record_type', [{ grantee: { type: 'default' }, level: 'viewer' }]],
    ['Supplier uploads', 'document_folder', [{ grantee: { type: 'user', name: 'po-bot' }, level: 'viewer' }]],
  ] as const) {
    expect(await callApi(page, deputy, 'designObjects.create', { name, kind, permissions })).toMatchObject({
      ok: true,
    });
  }
  const shell = new ShellPage(page);
  await shell.open('Portals');
  const panel = shell.panel;
  await expect(panel.getByRole('group', { name: 'Design object Supplier', exact: true })).toContainText(
    'Default (All Other Users): Viewer',
  );

  const form = panel.getByRole('form', { name: 'New portal' });
  await form.getByLabel('Portal name').fill('Supplier Portal');
  await form.getByLabel('Service account').fill('po-bot');
  await form.getByLabel('Objects to query records').fill('Supplier');
  await form.getByLabel('Objects to upload documents').fill('Supplier uploads');
  await form.getByRole('button', { name: 'Create portal' }).click();

  const portal = panel.getByRole('region', { name: 'Portal Supplier Portal' });
  const findings = portal.getByRole('table', { name: 'Findings of Supplier Portal' });
  const upload = findings.getByRole('row').filter({ hasText: 'upload documents' });
  await expect(upload).toContainText('Editor');
  await expect(upload).toContainText('Viewer (Viewer directly)');
  await expect(upload).toContainText('missing');
  await expect(portal).toContainText('publishing blocked');
  const warning = portal.getByRole('note').filter({ hasText: 'R-A3' });
  await expect(warning).toContainText('service accounts count as users');
  await shot(page, testInfo, 'portals-findings');

  await upload.getByRole('button', { name: 'Fix' }).click();
  await expect(upload).toContainText('exact');
  await expect(portal).not.toContainText('publishing blocked');

  await warning.getByRole('button', { name: 'Fix' }).click();
  await expect(portal.getByRole('note').filter({ hasText: 'R-A3' })).toHaveCount(0);
  await portal.getByRole('button', { name: 'View record type permissions for the service account' }).click();
  await expect(portal.getByRole('list', { name: 'Record types po-bot can reach' })).toHaveText(
    'Supplier: Viewer (Viewer directly)',
  );
  await expect(panel.getByRole('group', { name: 'Design object Supplier', exact: true })).toContainText(
    'po-bot: Viewer',
  );
  await shot(page, testInfo, 'portals-fixed');
});
