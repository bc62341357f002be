// Issue 22, bad input: packaging on a machine missing something it needs stops at once, with one line naming it
// and saying how to provide it, before building anything.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { REPO } from './support';

const scratch = mkdtempSync(join(tmpdir(), 'deputy-package-stops-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

test('npm run package with an empty ELECTRON_CACHE and no way to fetch Electron stops at once with one line', () => {
  const cache = join(scratch, 'electron-cache');
  const started = performance.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_CACHE: cache },
  });
  const ms = performance.now() - started;
  expect(r.status).toBe(1);
  expect(lines(r.stderr)).toHaveLength(1);
  expect(r.stderr).toMatch(
    /^package: Electron \d+\.\d+\.\d+ \(electron-v[\d.]+-linux-x64\.zip\) is not in ELECTRON_CACHE \(.*electron-cache\) and cannot be fetched \(github\.com: \w+\); copy it there from https:\/\/github\.com\/electron\/electron\/releases\/tag\/v[\d.]+/,
  );
  expect(r.stdout).toBe('');
  // Stopped before building or staging anything.
  expect(existsSync(join(REPO, 'dist/.desktop-app'))).toBe(false);
  expect(ms).toBeLessThan(15_000);
});

test('package:server on a machine without dpkg-deb stops at once with one line naming it', () => {
  // A PATH with the shell and tar but not dpkg-deb.
  const bin = join(scratch, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  for (const tool of ['sh', 'tar', 'gzip']) symlinkSync(`/bin/${tool}`, join(bin, tool));
  const r = spawnSync(process.execPath, [join(REPO, 'scripts/package-server.mjs')], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, PATH: bin },
  });
  expect(r.status).toBe(1);
  expect(lines(r.stderr)).toEqual([
    'package:server: dpkg-deb is missing; install the Debian package dpkg (apt-get install dpkg)',
  ]);
  expect(r.stdout).toBe('');
});
