// Issue 22 item 2: the desktop packages. Electron's binary cannot be had here, so this runs `npm run package` as a
// dry run (`--dir`: the unpacked app, no installers; `-c.npmRebuild=false`: no Electron headers) with a stand-in
// Electron zip in ELECTRON_CACHE: the real electron-builder, the real configuration and the staged app, offline.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { REPO, storedZip } from './support';

const scratch = mkdtempSync(join(tmpdir(), 'deputy-package-desktop-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(path: string): string[];
  extractFile(a: string, f: string): Buffer;
};
const electronVersion = (
  JSON.parse(readFileSync(join(REPO, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('npm run package packs the built app with its production modules, native ones unpacked, from a cached Electron', () => {
  const cache = join(scratch, 'electron-cache', 'some-hashed-folder');
  spawnSync('mkdir', ['-p', cache]);
  writeFileSync(
    join(cache, `electron-v${electronVersion}-linux-x64.zip`),
    storedZip([
      { name: 'electron', body: '#!/bin/sh\necho stand-in for Electron\n', mode: 0o755 },
      { name: 'LICENSE', body: 'stand-in\n', mode: 0o644 },
    ]),
  );
  rmSync(join(REPO, 'dist/desktop'), { recursive: true, force: true });
  const nativeBefore = sha256(join(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));

  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--dir', '-c.npmRebuild=false'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_CACHE: join(scratch, 'electron-cache') },
  });
  expect(r.status, r.stderr).toBe(0);

  const unpacked = join(REPO, 'dist/desktop/linux-unpacked');
  expect(statSync(join(unpacked, 'deputy-desktop')).mode & 0o111).not.toBe(0);
  const archive = join(unpacked, 'resources/app.asar');
  const entries = asar.listPackage(archive);
  const appPkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as Record<string, unknown>;
  expect(appPkg).toMatchObject({ productName: 'Deputy', main: 'out/main/index.js', type: 'module' });
  for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
    expect(entries).toContain(file);
  }
  for (const dep of ['better-sqlite3', 'keytar', 'zod']) expect(entries).toContain(`/node_modules/${dep}`);
  // Nothing the app does not run: no dev dependency, no native sources.
  for (const absent of ['/node_modules/react', '/node_modules/electron', '/node_modules/better-sqlite3/deps']) {
    expect(entries).not.toContain(absent);
  }
  for (const native of ['better-sqlite3/build/Release/better_sqlite3.node', 'keytar/build/Release/keytar.node']) {
    expect(existsSync(join(unpacked, 'resources/app.asar.unpacked/node_modules', native)), native).toBe(true);
  }
  console.log(
    `[package] desktop (dry run: installers need Electron, not available here): app.asar ${(statSync(archive).size / 1048576).toFixed(1)} MB`,
  );
  // The staged copy is gone and the project's own native modules were not touched.
  expect(existsSync(join(REPO, 'dist/.desktop-app'))).toBe(false);
  expect(sha256(join(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(nativeBefore);
});

test('Linux, Windows and macOS targets are declared, with the app icon from resources/ large enough for each', () => {
  const config = readFileSync(join(REPO, 'packaging/electron-builder.yml'), 'utf8');
  expect(config).toMatch(/^icon: resources\/icon\.png$/m);
  expect(config).toMatch(/^linux:\n(?: {2}.*\n)*? {2}target: \[deb, rpm, AppImage\]$/m);
  expect(config).toMatch(/^win:\n {2}target: \[nsis\]$/m);
  expect(config).toMatch(/^mac:\n {2}target: \[dmg\]$/m);
  const png = readFileSync(join(REPO, 'resources/icon.png'));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  // macOS needs 512 × 512 to make its .icns; Windows 256 for its .ico.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
});
