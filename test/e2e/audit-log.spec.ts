// The auditor's table on a log of thousands of records: it scrolls through them page by page, and a new filter shows
// its newest match at the top.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, openWithDemo, PROJECT_ROOT, test } from './fixtures';
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
