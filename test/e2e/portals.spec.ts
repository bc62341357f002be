// The Appian seed in the console (issue 20, items 1–3 and 5): on first launch the demo's supplier portal shows every
// verdict — the missing Editor on the upload folder (R-A2), one exact grant, one more than needed, and Default (All
// Other Users) Viewer on the record type (R-A3); one click fixes each, and the service account's record types then
// show it holds Viewer directly.
import { expect, openWithDemo, shot, test } from './fixtures';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { ShellPage } from './pages/shell-page';

test('R-A2, R-A3: the demo portal’s findings, fixed one click at a time', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const shell = new ShellPage(page);
  const panel = shell.panel;
  const supplier = panel.getByRole('group', { name: 'Design object Supplier', exact: true });
  await shell.open('Design objects');
  await expect(supplier).toContainText('Default (All Other Users): Viewer');
  await shell.open('Portals');

  const portal = panel.getByRole('region', { name: 'Portal Supplier Portal' });
  const findings = portal.getByRole('table', { name: 'Findings of Supplier Portal' });
  const upload = findings.getByRole('row').filter({ hasText: 'upload documents' });
  await expect(upload).toContainText('Editor');
  await expect(upload).toContainText('Viewer (Viewer directly)');
  await expect(upload).toContainText('missing');
  await expect(findings.getByRole('row').filter({ hasText: 'query records' })).toContainText('exact');
  const start = findings.getByRole('row').filter({ hasText: 'start a process' });
  await expect(start).toContainText('more than needed');
  await expect(portal).toContainText('publishing blocked');
  const warning = portal.getByRole('note').filter({ hasText: 'R-A3' });
  await expect(warning).toContainText('service accounts count as users');
  await shot(page, testInfo, 'portals-findings');

  await upload.getByRole('button', { name: 'Fix' }).click();
  await expect(upload).toContainText('exact');
  await expect(portal).not.toContainText('publishing blocked');
  await start.getByRole('button', { name: 'Fix' }).click();
  await expect(start).toContainText('exact');

  // This one changes Default (All Other Users)' entry, everyone's: asked first, and Cancel changes nothing.
  await warning.getByRole('button', { name: 'Fix' }).click();
  const everyone = new ConfirmDialogPage(page, 'Change what Default (All Other Users) may do?');
  await expect(everyone.root).toContainText('people included');
  await everyone.cancel();
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: 'Fix' }).click();
  await everyone.confirm('Apply the fix');
  await expect(portal.getByRole('note').filter({ hasText: 'R-A3' })).toHaveCount(0);
  await portal.getByRole('button', { name: 'View record type permissions for the service account' }).click();
  await expect(portal.getByRole('list', { name: 'Record types supplier-portal can reach' })).toHaveText(
    'Supplier: Viewer (Viewer directly)',
  );
  await shell.open('Design objects');
  await expect(supplier).toContainText('supplier-portal: Viewer');
  await shot(page, testInfo, 'portals-fixed');
});

test('R-A1, R-A2: a portal is edited in the tab — a person refused, another account and fewer use cases saved, the findings refreshed', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const shell = new ShellPage(page);
  await shell.open('Portals');
  const portal = shell.panel.getByRole('region', { name: 'Portal Supplier Portal' });
  const findings = portal.getByRole('table', { name: 'Findings of Supplier Portal' });
  await portal.getByRole('button', { name: 'Edit portal' }).click();
  const form = portal.getByRole('form', { name: 'Edit portal Supplier Portal' });
  await expect(form.getByLabel('Service account')).toHaveValue('supplier-portal');
  await expect(form.getByLabel('Objects to start a process')).toHaveValue('Supplier Onboarding');

  // R-A1: a person cannot serve a portal; the form says why and nothing changes.
  await form.getByLabel('Service account').fill('jdoe');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('alert')).toContainText('not a service account');

  await form.getByLabel('Service account').fill('po-bot');
  await form.getByLabel('Objects to start a process').fill('');
  await shot(page, testInfo, 'portals-edit');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toHaveCount(0);
  await expect(portal.getByRole('heading')).toContainText('po-bot');
  await expect(findings.getByRole('row').filter({ hasText: 'start a process' })).toHaveCount(0);
  // The findings are po-bot's now: it holds nothing on the upload folder, and reads the record type through Default.
  await expect(findings.getByRole('row').filter({ hasText: 'upload documents' })).toContainText('missing');
  await expect(findings.getByRole('row').filter({ hasText: 'query records' })).toContainText(
    'through Default (All Other Users)',
  );
});

test('R-A2: a use case dropped leaves the account’s own entry behind, flagged as not needed without blocking, and one click takes it off', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const shell = new ShellPage(page);
  await shell.open('Portals');
  const portal = shell.panel.getByRole('region', { name: 'Portal Supplier Portal' });
  const unneeded = portal.getByRole('table', { name: "Entries of supplier-portal's own that no use case needs" });
  await expect(unneeded).toHaveCount(0);
  await portal.getByRole('button', { name: 'Edit portal' }).click();
  const form = portal.getByRole('form', { name: 'Edit portal Supplier Portal' });
  await form.getByLabel('Objects to start a process').fill('');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toHaveCount(0);

  const onboarding = unneeded.getByRole('row').filter({ hasText: 'Supplier Onboarding' });
  await expect(onboarding).toContainText('process model');
  await expect(onboarding).toContainText('Administrator');
  await expect(unneeded).toContainText('they do not block publishing');
  await shot(page, testInfo, 'portals-unneeded');
  await onboarding.getByRole('button', { name: 'Fix' }).click();
  await expect(unneeded).toHaveCount(0);
  await shell.open('Design objects');
  const model = shell.panel.getByRole('group', { name: 'Design object Supplier Onboarding', exact: true });
  await expect(model).not.toContainText('supplier-portal');
});
