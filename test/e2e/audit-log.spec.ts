// The auditor's table on a log of thousands of records: it scrolls through them page by page, and a new filter shows
// its newest match at the top. A record opens from the keyboard and reads as labelled fields beside a still-visible
// Message column; Restore asks first; an export comes with the manifest `deputy audit verify-export` checks, and its
// own record shows at once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi, expect, freeFinance, openWithDemo, PROJECT_ROOT, shot, test } from './fixtures';
import { AuditLogPage } from './pages/impersonation-page';
import { ShellPage } from './pages/shell-page';
import type { Locator } from '@playwright/test';

/** Appends `count` records beside the running server (test/support/appendAuditRecords.ts); returns their seqs. */
function appendRecords(dbPath: string, count: number): number[] {
  const script = join(PROJECT_ROOT, 'test/support/appendAuditRecords.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, dbPath, String(count)], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as number[];
}

const seqOf = async (row: Locator) => Number(await row.locator('td').first().textContent());

test('scrolls through thousands of records page by page; a new filter starts at its newest match', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  const seqs = appendRecords(deputy.dbPath, 3000);
  await new ShellPage(page).open('Audit log');
  const rows = page.getByRole('table', { name: 'Audit records' }).locator('tbody tr:not([aria-hidden])');
  // Until the first page arrives the table holds a "No records" row (no number): wait for the newest record.
  await expect.poll(() => seqOf(rows.first())).toBeGreaterThanOrEqual(seqs.at(-1)!);
  const newest = await seqOf(rows.first());

  // Each scroll to the bottom brings the next page of 100 (keyset); five pages down is 500 records older.
  const scroller = page.locator('.audit-scroll');
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    expect(newest - (await seqOf(rows.last()))).toBeGreaterThan(500);
  }).toPass({ timeout: 20_000 });
  // The rows on screen follow each other, newest first: no gap and no repeat where pages join.
  const shown = await Promise.all((await rows.all()).map(seqOf));
  expect(shown).toEqual(shown.map((_, i) => shown[0]! - i));

  // A filter while scrolled far down: its list starts at the top, at the newest record that matches.
  await page.getByLabel('Operator').fill('e2e.op');
  const newestByOp = seqs.filter((_, i) => i % 10 === 0).at(-1)!;
  await expect(rows.first().locator('td').first()).toHaveText(String(newestByOp));
  await expect(rows.first()).toBeInViewport();
});

test('a record opens from the keyboard as labelled fields, History as old → new, the Message column still in view', async ({
  page,
  console: deputy,
}, testInfo) => {
  await openWithDemo(page, deputy);
  const before = (await callApi(page, deputy, 'settings.get', {})) as { value: { impersonationMinutes: number } };
  const was = before.value.impersonationMinutes;
  const now = was === 480 ? was - 1 : was + 1;
  await callApi(page, deputy, 'settings.update', { impersonationMinutes: now });
  await new ShellPage(page).open('Audit log');
  const log = new AuditLogPage(page);

  // A From that is no date says so beside the box, and the table keeps none of the rows it showed before.
  await expect(log.rows.first()).toBeVisible();
  await log.from.fill('last tuesday');
  const fromBox = page.locator('label.filter', { has: log.from });
  await expect(fromBox.getByRole('alert')).toHaveText(
    'Write a date such as 2026-12-01, or a date and time such as 2026-12-01 09:30 (UTC).',
  );
  await expect(log.rows).toHaveText(['No records: the filter above needs a change.']);
  // Today's date from the picker: the rows are back. The Action filter takes the start of a name.
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('From (UTC): pick a date').fill(today);
  await expect(log.from).toHaveValue(today);
  await page.getByRole('textbox', { name: 'Action', exact: true }).fill('settings');
  const change = log.record(/^Impersonation maximum: /);
  await expect(change.first()).toBeVisible();

  // The row's record number is a button: focused and Enter, no mouse.
  const seq = (await log.cell(change.first(), '#').textContent())!.trim();
  const opener = page.getByRole('button', { name: `Open record ${seq}`, exact: true });
  await opener.focus();
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: `Record ${seq}`, exact: true });
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('heading', { name: `Record ${seq}` })).toBeFocused();

  // Labelled fields, the export's vocabulary under the table's labels; no raw JSON until asked for.
  const field = (label: string) => detail.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('+ dd');
  await expect(field('Operator')).toHaveText('alice');
  await expect(field('Log')).toHaveText('history');
  await expect(field('Action')).toHaveText('settings.update');
  await expect(detail.getByRole('table', { name: 'Changes' }).locator('tbody tr')).toHaveText([
    `Impersonation maximum${String(was)} → ${String(now)}`,
  ]);
  await expect(detail).not.toContainText('"old"');
  await expect(detail).not.toContainText('effective_user');
  await detail.getByRole('button', { name: 'Show the raw record' }).click();
  const raw = detail.getByLabel('Raw record');
  await expect(raw).toContainText('"operator": "alice"');
  await expect(raw).toContainText(`"old": ${String(was)}`);

  // The table beside the open record still shows its Message column, whole in the page.
  const messageHeader = log.table.getByRole('columnheader', { name: 'Message' });
  await expect(messageHeader).toBeInViewport({ ratio: 1 });
  await expect(log.cell(change.first(), 'Message')).toBeInViewport({ ratio: 0.9 });
  await shot(page, testInfo, 'audit-record-detail');

  // Escape closes it and gives the keyboard back to the row.
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('Restore asks first, in place; once restored, its button is gone and the chain shown counts it', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  await freeFinance(page, deputy);
  await callApi(page, deputy, 'groups.delete', { name: 'Finance' });
  await new ShellPage(page).open('Audit log');
  const log = new AuditLogPage(page);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const summary = page.getByRole('status').filter({ hasText: /^Chain intact/ });
  const before = Number(/(\d+) records/.exec((await summary.textContent()) ?? '')?.[1]);
  expect(before).toBeGreaterThan(1);
  const detail = await log.open(log.record('Deleted group Finance with 1 member'));
  const restore = detail.getByRole('button', { name: 'Restore group Finance' });
  const confirm = detail.getByRole('group', { name: 'Confirm restore' });

  await restore.click();
  await expect(confirm).toContainText('Restore group Finance?');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(log.record(/^Restored group Finance/)).toHaveCount(0); // nothing happened

  await restore.click();
  await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(detail.getByRole('status')).toHaveText('Restored group Finance.');
  await expect(restore).toHaveCount(0);
  await expect(confirm).toHaveCount(0);
  await expect(log.record(/^Restored group Finance from record \d+$/)).toHaveCount(1);
  await expect(summary).toHaveText(`Chain intact: ${before + 1} records.`);
});

test('an export downloaded in the browser comes with its manifest, which deputy audit verify-export accepts; its record shows at once', async ({
  page,
  console: deputy,
}) => {
  await openWithDemo(page, deputy);
  await new ShellPage(page).open('Audit log');
  const auditLog = new AuditLogPage(page);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const summary = page.getByRole('status').filter({ hasText: /^Chain intact/ });
  const before = Number(/(\d+) records/.exec((await summary.textContent()) ?? '')?.[1]);
  expect(before).toBeGreaterThan(1);
  const dir = mkdtempSync(join(tmpdir(), 'deputy-export-'));
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSONL' }).click(),
  ]);
  const name = file.suggestedFilename();
  await file.saveAs(join(dir, name));
  const offer = page.getByRole('status', { name: 'Export' });
  await expect(offer).toContainText(`${name}.manifest.json`);
  // The export is recorded, and the auditor sees its record on top and counted by the chain without reloading.
  const newest = auditLog.rows.first();
  await expect(auditLog.cell(newest, 'Action')).toHaveText('audit.export');
  await expect(auditLog.cell(newest, 'Message')).toHaveText(`Exported ${before} audit records as jsonl`);
  await expect(auditLog.cell(newest, '#')).toHaveText(String(before + 1));
  await expect(summary).toHaveText(`Chain intact: ${before + 1} records.`);
  const [manifest] = await Promise.all([
    page.waitForEvent('download'),
    offer.getByRole('button', { name: 'Download the manifest' }).click(),
  ]);
  expect(manifest.suggestedFilename()).toBe(`${name}.manifest.json`);
  await manifest.saveAs(join(dir, `${name}.manifest.json`));

  // One vocabulary: the export's fields are the names the raw record on screen uses.
  const first = JSON.parse(readFileSync(join(dir, name), 'utf8').split('\n')[0]!) as Record<string, unknown>;
  expect(Object.keys(first)).toEqual(expect.arrayContaining(['operator', 'effective_user', 'impersonator', 'action']));
  const out = execFileSync(
    process.execPath,
    [join(PROJECT_ROOT, 'bin/deputy.mjs'), 'audit', 'verify-export', join(dir, name), '--db', deputy.dbPath],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  expect(out).toContain('ok   file SHA-256 matches the manifest');
  expect(out).toContain('ok   HMAC under the chain key');
});
