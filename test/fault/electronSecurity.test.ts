// Electron security (issue 21): @doyensec/electronegativity over src/ for our Electron version finds nothing HIGH,
// and every finding it still reports is explained in SECURITY.md, by its check's name and file, so a new one cannot
// slip in unexplained.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }
).version;

interface Finding {
  check: string;
  severity: string;
  file: string;
}

/**
 * The CSV's rows: check, severity, confidence, file, location, sample, … A quoted cell may hold commas, doubled quotes
 * and line breaks (a CI run's CSP description held one), so the text is read cell by cell, not line by line.
 */
function findings(csv: string): Finding[] {
  const rows: string[][] = [[]];
  for (const [, quoted, plain, end] of csv.trim().matchAll(/(?:"((?:[^"]|"")*)"|([^,\n]*))(,|\n|$)/g)) {
    rows.at(-1)!.push(quoted !== undefined ? quoted.replace(/""/g, '"') : plain!.trim());
    if (end === '\n') rows.push([]);
    if (end === '') break;
  }
  return rows.slice(1).map((cells) => ({ check: cells[0]!, severity: cells[1]!, file: cells[3]! }));
}

describe('Electron security: electronegativity on src/', () => {
  it(`finds nothing HIGH for Electron ${electronVersion}, and SECURITY.md explains every finding`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'deputy-eneg-'));
    try {
      const out = join(dir, 'findings.csv');
      const bin = join(root, 'node_modules', '.bin', 'electronegativity');
      // Its release list comes from the network, which CI does not have; it then goes on with the version given.
      const run = spawnSync(bin, ['-i', join(root, 'src'), '-e', electronVersion, '-r', '-v', 'false', '-o', out], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const found = findings(readFileSync(out, 'utf8'));
      expect(found.length).toBeGreaterThan(0); // the scan read our sources (it always reports the preload)
      expect(found.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).toEqual([]);
      const explained = readFileSync(join(root, 'SECURITY.md'), 'utf8');
      const unexplained = found.filter((f) => !explained.includes(`${f.check} (${f.file})`));
      expect(unexplained).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
