// R-L1 in the window: a record of the Record Deletion Log offers Restore, and restoring is recorded.
import { callApi, expect, freeFinance, openWithDemo, signInAs, test } from './fixtures';
import { ConfirmDialogPage } from './pages/confirm-dialog';
import { AuditLogPage } from './pages/impersonation-page';
import { ShellPage } from './pages/shell-page';
import { FlowsPage } from './pages/flows-page';

test('R-L1: a deleted group comes back from its Record Deletion Log record with Restore', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  await freeFinance(page, deputy);
  const shell = new ShellPage(page);
  await shell.open('Directory');
  await page.getByRole('button', { name: 'Delete group Finance', exact: true }).click();
  await new ConfirmDialogPage(page, 'Delete group Finance?').confirm('Delete group');
  await expect(page.getByRole('group', { name: 'Group Finance', exact: true })).toHaveCount(0);
  // The system group stays: Deputy keeps it (R-A1).
  await expect(page.getByRole('button', { name: 'Delete group Service Account' })).toHaveCount(0);

  await shell.open('Audit log');
  const log = new AuditLogPage(page);
  const deletion = log.record('Deleted group Finance with 1 member');
  await expect(log.cell(deletion, 'Log')).toHaveText('record deletion');
  const detail = await log.open(deletion);
  await detail.getByRole('button', { name: 'Restore group Finance' }).click();
  await detail
    .getByRole('group', { name: 'Confirm restore' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();

  const restored = log.record(/^Restored group Finance from record \d+$/);
  await expect(restored).toHaveCount(1);
  await expect(log.cell(restored, 'Action')).toHaveText('group.restore');
  await expect(log.cell(restored, 'Username')).toHaveText('alice');
  const groups = (await callApi(page, deputy, 'groups.list', {})) as { value: { name: string; members: string[] }[] };
  expect(groups.value.find((g) => g.name === 'Finance')?.members).toEqual(['ffinance']);

  // A record restores once: opened again, it says which record restored it, and offers no Restore.
  await log.open(deletion);
  await expect(page.getByText(/was restored already, by record \d+/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore group Finance' })).toHaveCount(0);
});

test('R-L1: an auditor reads a deletion but is offered no Restore, and is told why', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  await freeFinance(page, deputy);
  await callApi(page, deputy, 'groups.delete', { name: 'Finance' });
  await signInAs(page, 'audrey');
  await new ShellPage(page).open('Audit log');
  const log = new AuditLogPage(page);
  const detail = await log.open(log.record('Deleted group Finance with 1 member'));
  // main's answer for audrey (Auditor: audit.read, no directory.write), before anything is clicked
  await expect(detail.getByText(/^Restore: .*audrey.*directory\.write/)).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Restore group Finance' })).toHaveCount(0);
});

test('R-L1: Delete in Directory asks first, removes the person, and Restore brings them back', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  const shell = new ShellPage(page);
  await shell.open('Directory');
  const directory = page.getByRole('table', { name: 'Directory' });
  const jdoe = directory.getByRole('row').filter({ has: page.getByRole('cell', { name: 'jdoe', exact: true }) });
  await expect(jdoe).toHaveCount(1);
  // Nobody deletes themself: there is no Delete on alice's own row.
  await expect(page.getByRole('button', { name: 'Delete alice', exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete jdoe', exact: true }).click();
  const confirm = new ConfirmDialogPage(page, 'Delete jdoe?');
  await expect(confirm.root).toContainText(
    'A snapshot goes to the Record Deletion Log, from which it can be restored.',
  );
  await confirm.confirm('Delete');
  await expect(jdoe).toHaveCount(0);

  await shell.open('Audit log');
  const log = new AuditLogPage(page);
  const deletion = log.record('Deleted user Jane Doe (jdoe) with 2 grants');
  const detail = await log.open(deletion);
  await detail.getByRole('button', { name: 'Restore jdoe' }).click();
  await detail
    .getByRole('group', { name: 'Confirm restore' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(
    log.record(
      /^Restored user Jane Doe \(jdoe\) from record \d+; no password yet \(passwords are never logged\): set one in Directory$/,
    ),
  ).toHaveCount(1);
  await shell.open('Directory');
  await expect(jdoe).toHaveCount(1);

  // The password never went into the log, so an administrator sets a new one; jdoe signs in with it.
  await page.getByRole('button', { name: 'Set password of jdoe', exact: true }).click();
  await page.getByLabel('New password for jdoe', { exact: true }).fill('restored-at-last-42');
  await page.getByRole('button', { name: 'Set password', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Password of jdoe' })).toHaveCount(0);
  await signInAs(page, 'jdoe', 'restored-at-last-42');
  await expect(shell.operator).toHaveText('Jane Doe (jdoe)');
});

test('R-L1: a Flow Admin deletes a flow from its settings; the Super Admin restores it with its members', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  const shell = new ShellPage(page);
  await shell.open('Flows');
  const flows = new FlowsPage(page);
  const card = await flows.open('Purchase Request');
  await card.region.getByRole('button', { name: 'Delete flow', exact: true }).click();
  const confirm = new ConfirmDialogPage(page, 'Delete flow Purchase Request?');
  await expect(confirm.root).toContainText(
    'Purchase Request, its items, members and impersonation access are deleted.',
  );
  await confirm.confirm('Delete flow');
  await expect(flows.row('Purchase Request')).toHaveCount(0);
  await expect(card.region).toHaveCount(0);

  await shell.open('Audit log');
  const log = new AuditLogPage(page);
  // The demo's three Purchase Requests go into the snapshot with the flow.
  const detail = await log.open(
    log.record('Deleted flow Purchase Request (process) with 5 members and 1 impersonation grant, and 3 items'),
  );
  await detail.getByRole('button', { name: 'Restore flow:Purchase Request' }).click();
  await detail
    .getByRole('group', { name: 'Confirm restore' })
    .getByRole('button', { name: 'Restore', exact: true })
    .click();
  await expect(log.record(/^Restored flow Purchase Request from record \d+; with 3 items$/)).toHaveCount(1);
  await shell.open('Flows');
  const restored = await flows.open('Purchase Request');
  await expect(restored.members.getByRole('row')).toHaveCount(5);
});
