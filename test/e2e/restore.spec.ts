// R-L1 in the window: a record of the Record Deletion Log offers Restore, and restoring is recorded.
import { callApi, expect, openWithDemo, test } from './fixtures';
import { AuditLogPage } from './pages/impersonation-page';
import { ShellPage } from './pages/shell-page';

test('R-L1: a deleted group comes back from its Record Deletion Log record with Restore', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  expect(await callApi(page, deputy, 'groups.delete', { name: 'Finance' })).toMatchObject({ ok: true });

  const shell = new ShellPage(page);
  await shell.open('Audit log');
  const log = new AuditLogPage(page);
  const deletion = log.record('Deleted group Finance with 1 member');
  await expect(log.cell(deletion, 'Log')).toHaveText('record deletion');
  const detail = await log.open(deletion);
  await detail.getByRole('button', { name: 'Restore group Finance' }).click();

  const restored = log.record(/^Restored group Finance from record \d+$/);
  await expect(restored).toHaveCount(1);
  await expect(log.cell(restored, 'Action')).toHaveText('group.restore');
  await expect(log.cell(restored, 'Username')).toHaveText('alice');
  const groups = (await callApi(page, deputy, 'groups.list', {})) as { value: { name: string; members: string[] }[] };
  expect(groups.value.find((g) => g.name === 'Finance')?.members).toEqual(['ffinance']);

  // A record restores once: the second click says which record restored it.
  await log.open(deletion);
  await page.getByRole('button', { name: 'Restore group Finance' }).click();
  await expect(page.getByText(/was restored already, by record \d+/)).toBeVisible();
});
