// What every bench prints its numbers with, and how each runs in a temporary folder of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A number with thousands separators and a fixed count of decimals, as every table prints it. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Nearest-rank percentile of ascending `sorted` (NaN for none). */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;

/**
 * Runs `main` in a new temporary folder, removed after it, also on Ctrl-C; the process exits 1 when `main` answers
 * false (a correctness problem, or a goal the bench fails on).
 */
export async function runInTempDir(prefix: string, main: (dir: string) => Promise<boolean>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  process.on('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  try {
    if (!(await main(dir))) process.exitCode = 1;
  } finally {
    cleanUp();
  }
}
