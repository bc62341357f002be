// Issue 22 item 1: the offline server package. Run by `npm run test:package` (scripts/package-test.mjs), which runs
// this whole file in a network namespace with only a loopback interface: building, unpacking, `dpkg -i`, `deputy
// init`, `deputy serve` and Chromium all happen with no way out. Every `deputy` here also runs in a mount namespace
// where the project (and the checkout its node_modules live in) are empty: it can use only what it carries.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from '@playwright/test';
import { ShellPage } from '../e2e/pages/shell-page';
import { SignInPage } from '../e2e/pages/sign-in-page';
import {
  BUILD_TREE,
  DEMO_PASSWORD,
  REPO,
  executableOf,
  interfaces,
  launchChromium,
  mappedFiles,
  mb,
  recordRequests,
  runHidden,
  serveHidden,
  sh,
  stop,
  type Served,
} from './support';

const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const TARBALL = join(REPO, 'dist', `deputy-server-${version}-linux-x64.tar.gz`);
const DEB = join(REPO, 'dist', `deputy-server_${version}_amd64.deb`);
const INSTALLED = '/usr/lib/deputy';
const STATE = '/var/lib/deputy';
const UNIT = '/usr/lib/systemd/system/deputy.service';

const scratch = mkdtempSync(join(tmpdir(), 'deputy-package-'));
let browser: Browser;
const measures: string[] = [];

const underBuildTree = (path: string) => BUILD_TREE.some((dir) => path === dir || path.startsWith(`${dir}/`));

/** Opens the printed URL, signs in as alice, and checks the page asked nothing of any other origin. */
async function openAndSignIn(served: Served): Promise<number> {
  const page = await browser.newPage();
  const requests = recordRequests(page);
  try {
    await page.goto(served.url);
    const signIn = new SignInPage(page);
    await signIn.form.waitFor();
    const firstPageMs = performance.now() - served.startedAt;
    await signIn.signIn('alice', DEMO_PASSWORD);
    await expect.poll(() => new ShellPage(page).operator.textContent()).toBe('Alice Admin (alice)');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith(`${served.origin}/`))).toEqual([]);
    return firstPageMs;
  } finally {
    await page.close();
  }
}

/** The server runs the package's own Node and maps nothing (native modules included) from the build tree. */
function expectSelfContained(pid: number, installRoot: string) {
  expect(executableOf(pid)).toBe(join(installRoot, 'node/bin/node'));
  const mapped = mappedFiles(pid);
  expect(mapped.filter(underBuildTree)).toEqual([]);
  for (const native of ['better_sqlite3.node', 'keytar.node']) {
    const file = mapped.find((p) => p.endsWith(`/${native}`));
    expect(file, `${native} is loaded`).toBeDefined();
    expect(file?.startsWith(`${installRoot}/app/node_modules/`)).toBe(true);
  }
}

function auditReport(deputy: string, db: string): { ok: boolean; count: number; unkeyed: number } {
  const r = runHidden([deputy, 'audit', 'verify', '--json', '--db', db], { cwd: scratch });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { ok: boolean; count: number; unkeyed: number };
}

beforeAll(async () => {
  // The namespace this runs in: a loopback and nothing else, and no route out.
  expect(interfaces()).toEqual(['lo']);
  const outside = await new Promise<string>((resolve) => {
    const socket = connect({ host: '1.1.1.1', port: 443 });
    socket.once('connect', () => resolve('connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  expect(outside).toBe('ENETUNREACH');

  const started = performance.now();
  const built = spawnSync(process.execPath, [join(REPO, 'scripts/package-server.mjs')], {
    cwd: REPO,
    encoding: 'utf8',
  });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  measures.push(`package:server built both packages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const file of [TARBALL, DEB]) measures.push(`${file.slice(REPO.length + 1)}: ${mb(statSync(file).size)}`);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
  console.log(`\n${measures.map((line) => `[package] ${line}`).join('\n')}\n`);
});

describe('the server tarball', () => {
  test('unpacked into an empty folder, runs deputy init, deputy serve and a page load offline, using nothing from the build tree', async () => {
    const into = join(scratch, 'unpacked');
    sh('mkdir', ['-p', into]);
    expect(readdirSync(into)).toEqual([]);
    const untar = sh('tar', ['-xzf', TARBALL, '-C', into]);
    expect(untar.stderr).toBe('');
    const installRoot = join(into, `deputy-server-${version}`);
    const deputy = join(installRoot, 'bin/deputy');
    const db = join(scratch, 'tarball.db');

    const init = runHidden([deputy, 'init', '--demo', '--db', db], {
      cwd: scratch,
      env: { DEPUTY_PASSWORD: DEMO_PASSWORD },
    });
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('Loaded the demo organisation. Sign in as alice.');

    const served = await serveHidden(deputy, db, scratch);
    try {
      const firstPageMs = await openAndSignIn(served);
      measures.push(`tarball: deputy serve to first page served ${firstPageMs.toFixed(0)} ms`);
      expectSelfContained(served.child.pid ?? -1, installRoot);
    } finally {
      await stop(served.child);
    }
  });
});

describe('the server .deb', () => {
  const created: string[] = [];

  beforeAll(() => {
    const status = sh('dpkg-query', ['-W', '-f=${Status}', 'deputy-server']);
    if (status.stdout.includes('installed'))
      throw new Error('deputy-server is installed here already: not touching it');
    if (!existsSync(STATE)) created.push(STATE);
    if (!existsSync('/etc/deputy')) created.push('/etc/deputy');
    if (sh('getent', ['passwd', 'deputy']).status !== 0) created.push('user:deputy');
  });

  afterAll(() => {
    sh('dpkg', ['--purge', 'deputy-server']);
    for (const what of created) {
      if (what === 'user:deputy') sh('userdel', ['deputy']);
      else rmSync(what, { recursive: true, force: true });
    }
  });

  test('declares what it needs at run time, and installs a systemd unit for deputy serve that is not enabled', () => {
    const depends = sh('dpkg-deb', ['-f', DEB, 'Depends']).stdout;
    for (const name of ['libsecret-1-0', 'gnome-keyring', 'dbus', 'libstdc++6']) expect(depends).toContain(name);
    const install = sh('dpkg', ['-i', DEB]);
    expect(install.status, install.stderr).toBe(0);

    expect(readFileSync('/usr/bin/deputy', 'utf8')).toContain(`"$root/node/bin/node"`);
    expect(existsSync(join(INSTALLED, 'node/LICENSE'))).toBe(true);
    const unit = readFileSync(UNIT, 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/deputy serve --db \/var\/lib\/deputy\/deputy\.db /m);
    expect(unit).toMatch(/^User=deputy$/m);
    const verify = sh('systemd-analyze', ['verify', UNIT]);
    expect(verify.stderr + verify.stdout).toBe('');
    expect(verify.status).toBe(0);
    expect(unit).toMatch(/^LoadCredential=keyring-passphrase:\/etc\/deputy\/keyring-passphrase$/m);
    const etc = '/etc/systemd/system';
    const wants = existsSync(etc) ? readdirSync(etc, { recursive: true }).map(String) : [];
    expect(wants.filter((p) => p.endsWith('deputy.service'))).toEqual([]);
    expect(sh('getent', ['passwd', 'deputy']).stdout).toMatch(/^deputy:x:\d+:\d+::\/var\/lib\/deputy:/);
    expect(statSync(STATE).uid).toBe(Number(sh('id', ['-u', 'deputy']).stdout.trim()));
  });

  test('an install over an older version keeps the database and its keychain entries; cold start to the first page', async () => {
    // The older version: this package relabelled 0.0.1, installed first, and given a database.
    const older = join(scratch, 'older');
    expect(sh('dpkg-deb', ['-R', DEB, older]).status).toBe(0);
    const control = join(older, 'DEBIAN/control');
    writeFileSync(control, readFileSync(control, 'utf8').replace(/^Version: .*$/m, 'Version: 0.0.1'));
    const olderDeb = join(scratch, 'deputy-server_0.0.1_amd64.deb');
    expect(sh('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '-b', older, olderDeb]).status).toBe(0);
    rmSync(older, { recursive: true, force: true });
    expect(sh('dpkg', ['-i', olderDeb]).status).toBe(0);
    expect(sh('dpkg-query', ['-W', '-f=${Version}', 'deputy-server']).stdout).toBe('0.0.1');

    const db = join(STATE, 'deputy.db');
    const init = runHidden(['/usr/bin/deputy', 'init', '--demo', '--db', db], {
      cwd: scratch,
      env: { DEPUTY_PASSWORD: DEMO_PASSWORD },
    });
    expect(init.stderr).toBe('');
    const before = auditReport('/usr/bin/deputy', db);
    expect(before).toMatchObject({ ok: true, unkeyed: 0 });
    expect(before.count).toBeGreaterThan(0);

    const upgrade = sh('dpkg', ['-i', DEB]);
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(sh('dpkg-query', ['-W', '-f=${Version}', 'deputy-server']).stdout).toBe(version);
    // The chain keys live in the keychain: a record whose key were gone would fail verification.
    const after = auditReport('/usr/bin/deputy', db);
    expect(after).toMatchObject({ ok: true, unkeyed: 0 });
    expect(after.count).toBeGreaterThanOrEqual(before.count);

    // Cold start: as little as possible in the page cache (where the kernel lets us drop it), then the installed
    // package from its spawn to the first page Chromium shows.
    let dropped = true;
    try {
      writeFileSync('/proc/sys/vm/drop_caches', '3');
    } catch {
      dropped = false;
    }
    const served = await serveHidden('/usr/bin/deputy', db, scratch);
    try {
      const firstPageMs = await openAndSignIn(served);
      measures.push(
        `installed .deb cold start to first page served: ${firstPageMs.toFixed(0)} ms ` +
          `(URL printed after ${served.urlAfterMs.toFixed(0)} ms; page cache ${dropped ? 'dropped' : 'not droppable here'})`,
      );
      expectSelfContained(served.child.pid ?? -1, INSTALLED);
    } finally {
      await stop(served.child);
    }
  });

  test('purge removes the program and its unit, and keeps the database', () => {
    expect(sh('dpkg', ['--purge', 'deputy-server']).status).toBe(0);
    expect(existsSync('/usr/bin/deputy')).toBe(false);
    expect(existsSync(INSTALLED)).toBe(false);
    expect(existsSync(UNIT)).toBe(false);
    expect(existsSync(join(STATE, 'deputy.db'))).toBe(true);
  });
});
